using System.Globalization;

namespace TypedSpool.MicroBenchmarks.Memory;

/// <summary>One <c>progress</c>/<c>done</c> line of the producer process.</summary>
internal sealed record ProducerReport(long Produced, long Allocated, long Rss, int Gen0, int Gen1, int Gen2, bool Done);

/// <summary>Reads the producer's stdout on a thread of its own and keeps the latest report.</summary>
internal sealed class ProducerReports
{
    private readonly Thread _reader;
    private volatile ProducerReport? _latest;

    public ProducerReports(StreamReader output)
    {
        _reader = new Thread(() => Read(output)) { IsBackground = true, Name = "producer-reports" };
        _reader.Start();
    }

    public ProducerReport? Latest => _latest;

    public void WaitForEnd() => _reader.Join(TimeSpan.FromSeconds(10));

    private void Read(StreamReader output)
    {
        while (output.ReadLine() is { } line)
        {
            var fields = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                int equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && long.TryParse(part.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    fields[part[..equals]] = value;
                }
            }
            _latest = new ProducerReport(fields.GetValueOrDefault("produced"), fields.GetValueOrDefault("allocated"), fields.GetValueOrDefault("rss"),
                (int)fields.GetValueOrDefault("gc0"), (int)fields.GetValueOrDefault("gc1"), (int)fields.GetValueOrDefault("gc2"), line.StartsWith("done", StringComparison.Ordinal));
        }
    }
}
