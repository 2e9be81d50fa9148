using System.Text.Json;

namespace TypedSpool.Benchmarks.EndToEnd.Child;

/// <summary>What a child prints as its last line: one JSON object of numbers the coordinator reads.</summary>
internal sealed class ChildReport
{
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);

    public long this[string name]
    {
        set => _values[name] = value;
    }

    /// <summary>CPU marks of the consumer (see <see cref="TaskRecorder"/>) and this process's peak RSS.</summary>
    public void AddConsumerFigures()
    {
        this["cpu_first_ns"] = TaskRecorder.CpuFirstNs;
        this["cpu_last_ns"] = TaskRecorder.CpuLastNs;
        this["peak_rss_kb"] = ProcFs.PeakRssKb("self") ?? 0;
    }

    public void Print()
    {
        using var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout))
        {
            json.WriteStartObject();
            foreach (var (name, value) in _values) json.WriteNumber(name, value);
            json.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }
}
