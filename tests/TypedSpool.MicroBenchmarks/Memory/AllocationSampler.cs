using System.Diagnostics.Tracing;
using System.Globalization;

namespace TypedSpool.MicroBenchmarks.Memory;

/// <summary>
/// The runtime's AllocationTick event (one about every 100 KB allocated, naming the type of the object that crossed
/// the mark), summed by type: a statistical picture of what the process allocates, with no profiler installed.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, (long Bytes, int Samples)> _byType = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }
        int typeAt = eventData.PayloadNames.IndexOf("TypeName");
        int amountAt = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (typeAt < 0 || amountAt < 0)
        {
            return;
        }
        string type = eventData.Payload![typeAt] as string ?? "?";
        long amount = Convert.ToInt64(eventData.Payload[amountAt], CultureInfo.InvariantCulture);
        lock (_gate)
        {
            var (bytes, samples) = _byType.GetValueOrDefault(type);
            _byType[type] = (bytes + amount, samples + 1);
        }
    }

    /// <summary>Prints the types that took the most sampled bytes, as bytes per task.</summary>
    public void Print(TextWriter output, string process, long tasks, int top = 15)
    {
        List<KeyValuePair<string, (long Bytes, int Samples)>> rows;
        lock (_gate)
        {
            rows = [.. _byType.OrderByDescending(r => r.Value.Bytes).Take(top)];
        }
        long total = rows.Sum(r => r.Value.Bytes);
        output.WriteLine($"Sampled allocations of the {process} process by type (AllocationTick, ~100 KB per sample):");
        foreach (var (type, (bytes, samples)) in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {bytes / (double)tasks,8:F0} B/task  {100.0 * bytes / Math.Max(1, total),5:F1}%  {samples,7} samples  {type}"));
        }
    }
}
