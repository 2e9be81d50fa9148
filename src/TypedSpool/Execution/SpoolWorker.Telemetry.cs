using System.Diagnostics;
using TypedSpool.Diagnostics;
using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>SpoolWorker: spans, metrics and queue gauges.</summary>
public sealed partial class SpoolWorker
{
    private Activity? StartConsumerActivity(SpoolTask task)
    {
        if (!SpoolTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }
        ActivityContext.TryParse(task.Packet.GetText(SpoolKeys.TraceParent), null, out var parent);
        var activity = SpoolTelemetry.ActivitySource.StartActivity("TypedSpool run " + (task.Name ?? "task"), ActivityKind.Consumer, parent,
            [new(SpoolTelemetry.TaskTag, task.Name), new(SpoolTelemetry.SpoolTag, _root)]);
        activity?.SetTag("typedspool.file", task.FilePath);
        activity?.SetTag("typedspool.attempt", task.Attempt);
        return activity;
    }

    private static void Record(TagList tags, long started, string outcome, Activity? activity)
    {
        tags.Add(SpoolTelemetry.OutcomeTag, outcome);
        SpoolTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        activity?.SetTag(SpoolTelemetry.OutcomeTag, outcome);
    }

    private void RecordQueue(ScanTotals totals, DateTimeOffset now) => SpoolTelemetry.RecordQueue(_root, totals.Due, totals.OldestDue, now);
}
