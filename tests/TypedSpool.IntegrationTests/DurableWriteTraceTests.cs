using System.Text.RegularExpressions;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// The write protocol, checked on the real system calls (strace) of <c>typedspool send</c>: temporary name,
/// write, futimens, fsync of the file, rename without replace, fsync of the directory, in that order.
/// </summary>
public partial class DurableWriteTraceTests
{
    private const string Strace = "/usr/bin/strace";

    [Fact]
    public async Task Full_durability_writes_temp_sets_mtime_fsyncs_renames_then_fsyncs_the_directory()
    {
        var trace = await TraceSendAsync("full");

        string tempOpen = trace.Single(IsTemporaryCreated);
        Assert.Contains("O_CREAT|O_EXCL", tempOpen, StringComparison.Ordinal);
        Assert.Contains("O_NOFOLLOW", tempOpen, StringComparison.Ordinal);
        Assert.Contains("0600", tempOpen, StringComparison.Ordinal);
        string fd = ReturnedFd(tempOpen);
        int open = trace.IndexOf(tempOpen);
        int write = IndexAfter(trace, open, l => Regex.IsMatch(l, $@"\b(pwritev|pwrite64|write)\({fd},"));
        int times = IndexAfter(trace, write, l => l.Contains($"utimensat({fd}, NULL") && l.Contains("4102444800"));
        int fsyncFile = IndexAfter(trace, times, l => l.Contains($"fsync({fd})") && l.EndsWith("= 0", StringComparison.Ordinal));
        int rename = IndexAfter(trace, fsyncFile, l => l.Contains("renameat2(") && l.Contains("RENAME_NOREPLACE") && l.EndsWith("= 0", StringComparison.Ordinal));
        string dirOpen = trace[IndexAfter(trace, rename, l => l.Contains("openat(") && l.Contains("O_DIRECTORY"))];
        string dirFd = ReturnedFd(dirOpen);
        IndexAfter(trace, trace.IndexOf(dirOpen), l => l.Contains($"fsync({dirFd})") && l.EndsWith("= 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_durability_still_renames_atomically_but_never_fsyncs()
    {
        var trace = await TraceSendAsync("none");
        Assert.Contains(trace, l => l.Contains("renameat2(") && l.Contains(".typedspool-tmp."));
        string tempOpen = trace.Single(IsTemporaryCreated);
        int open = trace.IndexOf(tempOpen);
        Assert.DoesNotContain(trace.Skip(open), l => l.Contains("fsync("));
    }

    private static async Task<List<string>> TraceSendAsync(string durability)
    {
        if (!File.Exists(Strace))
        {
            Assert.Skip("strace is not installed (apt-get install strace)");
        }
        using var spool = new TempSpool();
        string traceFile = spool.Combine("trace.txt");
        string target = spool.Combine("spool");
        using var child = ChildProcess.Start(Strace,
        [
            "-f", "-e", "trace=openat,write,pwrite64,pwritev,fsync,fdatasync,utimensat,rename,renameat,renameat2,close", "-o", traceFile,
            "dotnet", Path.Combine(AppContext.BaseDirectory, "TypedSpool.Cli.dll"),
            "send", "--spool", target, "--at", "4102444800", "--durability", durability, "k=v",
        ]);
        int code = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (code != 0 && child.StandardError.Contains("PTRACE", StringComparison.Ordinal))
        {
            Assert.Skip($"strace cannot trace here: {child.StandardError.Trim()}");
        }
        Assert.True(code == 0, $"send failed ({code}): {child.StandardError}");
        Assert.Single(Directory.GetFiles(target, "uwsgi_spoolfile_on_*"));
        // Drop the pid column; keep the calls of every thread in order.
        return [.. File.ReadAllLines(traceFile).Select(l => PidPrefix().Replace(l, "").Trim())];
    }

    /// <summary>The open that created the temporary file (a first try fails with ENOENT when the spool directory does not exist yet).</summary>
    private static bool IsTemporaryCreated(string line)
        => line.Contains("openat(") && line.Contains(".typedspool-tmp.uwsgi_spoolfile_on_") && !line.Contains("= -1 ");

    private static int IndexAfter(List<string> trace, int start, Func<string, bool> predicate)
    {
        for (int i = start + 1; i < trace.Count; i++)
        {
            if (predicate(trace[i])) return i;
        }
        Assert.Fail($"expected call not found after line {start}: {trace[Math.Max(0, start)]}\n{string.Join('\n', trace.Skip(Math.Max(0, start)).Take(20))}");
        return -1;
    }

    private static string ReturnedFd(string line) => Regex.Match(line, @"= (\d+)$").Groups[1].Value;

    [GeneratedRegex(@"^\d+\s+")]
    private static partial Regex PidPrefix();
}
