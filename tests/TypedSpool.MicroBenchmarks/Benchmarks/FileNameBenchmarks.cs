using BenchmarkDotNet.Attributes;
using TypedSpool.Format;

namespace TypedSpool.MicroBenchmarks.Benchmarks;

/// <summary>Spool file names (Format/SpoolFileName.cs) and the ordered-mode sort key (Format/VersionSortComparer.cs).</summary>
[MemoryDiagnoser]
public class FileNameBenchmarks
{
    private const string Later = "uwsgi_spoolfile_on_web-01_prod_48213_1043_1804289383_1717171717_123457";

    private readonly SpoolFileName _parsed = new("web-01_prod", 48213, 1042, 1804289383, 1717171717, 123456);

    // Fields, not constants, so the JIT cannot fold the calls away.
    private readonly string _name = Sample.FileName;
    private readonly string _later = Later;
    private readonly string[] _paths = ["/var/spool/app/" + Sample.FileName, "/var/spool/app/" + Later];

    [Benchmark]
    public bool TryParse()
    {
        bool ok = SpoolFileName.TryParse(_name, out var name);
        return ok && name!.Value.Counter == 1042;
    }

    /// <summary>The scan's filter on each directory entry.</summary>
    [Benchmark]
    public bool HasTaskPrefix() => SpoolFileName.HasTaskPrefix(_name);

    /// <summary>A producer's new name (Spooler.NewFileName formats one per enqueue).</summary>
    [Benchmark]
    public string Format() => _parsed.ToString();

    /// <summary>One comparison of the ordered scan's sort, on bare names.</summary>
    [Benchmark]
    public int VersionSort_compare() => VersionSortComparer.Instance.Compare(_name, _later);

    /// <summary>
    /// The same comparison as the ordered scan (SpoolScanner.EnumerateDue) makes: on file names sliced from full paths as spans.
    /// </summary>
    [Benchmark]
    public int VersionSort_compare_as_scanner_sorts()
        => VersionSortComparer.Instance.Compare(Path.GetFileName(_paths[0].AsSpan()), Path.GetFileName(_paths[1].AsSpan()));
}
