using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using TypedSpool.Diagnostics;
using TypedSpool.Format;
using TypedSpool.Testing;
using static TypedSpool.Tests.Execution.WorkerTestKit;

namespace TypedSpool.Tests.Execution;

/// <summary>The "TypedSpool" meter and activity source, heard through the BCL's own listeners.</summary>
[Collection(nameof(TelemetryTests))] // listeners are process-wide
public class TelemetryTests
{
    [Fact]
    public async Task Enqueue_and_runs_emit_counters_durations_and_a_linked_trace()
    {
        using var spool = new TempSpool();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Task, string? Outcome)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SpoolTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        void OnMeasurement<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            string? task = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == SpoolTelemetry.TaskTag) task = tag.Value as string;
                if (tag.Key == SpoolTelemetry.OutcomeTag) outcome = tag.Value as string;
                if (tag.Key == SpoolTelemetry.SpoolTag && !Equals(tag.Value, spool.Path)) return; // another test's spool
            }
            measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), task, outcome));
        }
        meters.SetMeasurementEventCallback<long>(OnMeasurement);
        meters.SetMeasurementEventCallback<double>(OnMeasurement);
        meters.SetMeasurementEventCallback<int>(OnMeasurement);
        meters.Start();

        var activities = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SpoolTelemetry.Name,
            // Only this test's spool: other tests enqueue in parallel.
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => options.Tags is { } tags && tags.Any(t => t.Key == SpoolTelemetry.SpoolTag && Equals(t.Value, spool.Path))
                ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.None,
            ActivityStopped = activity => activities.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(tracing);

        var spooler = new Spooler(spool.Path);
        string okPath = spooler.Enqueue(Packet(("ud_spool_func", "telemetry.ok"))).Path;
        spooler.Enqueue(Packet(("ud_spool_func", "telemetry.fail")));
        Assert.NotNull(SpoolPacketCodec.Decode(File.ReadAllBytes(okPath)).GetText(SpoolKeys.TraceParent));
        var handler = new RecordingHandler((task, _) => task.Name == "telemetry.ok"
            ? ValueTask.FromResult(SpoolResult.Ok)
            : throw new InvalidOperationException("boom"));
        await using (var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, RetryPolicy = NoJitter(5) }, handler))
        {
            await worker.RunOnceAsync(TestContext.Current.CancellationToken);
            meters.RecordObservableInstruments();
        }

        var m = measurements.ToArray();
        Assert.Equal(2, m.Where(x => x.Instrument == "typedspool.tasks.enqueued").Sum(x => x.Value));
        Assert.Equal(2, m.Where(x => x.Instrument == "typedspool.tasks.started").Sum(x => x.Value));
        Assert.Contains(m, x => x.Instrument == "typedspool.tasks.succeeded" && x.Task == "telemetry.ok");
        Assert.Contains(m, x => x.Instrument == "typedspool.tasks.retried" && x.Task == "telemetry.fail");
        Assert.Contains(m, x => x.Instrument == "typedspool.task.duration" && x.Outcome == "ok");
        Assert.Contains(m, x => x.Instrument == "typedspool.task.duration" && x.Outcome == "retry");
        Assert.Contains(m, x => x.Instrument == "typedspool.task.wait");
        Assert.Contains(m, x => x.Instrument == "typedspool.queue.depth" && x.Value == 2);

        var producer = Assert.Single(activities, a => a.DisplayName == "TypedSpool enqueue telemetry.ok");
        var consumer = Assert.Single(activities, a => a.DisplayName == "TypedSpool run telemetry.ok");
        Assert.Equal(ActivityKind.Producer, producer.Kind);
        Assert.Equal(ActivityKind.Consumer, consumer.Kind);
        Assert.Equal(producer.TraceId, consumer.TraceId);
        Assert.Equal(producer.SpanId, consumer.ParentSpanId);
        var failed = Assert.Single(activities, a => a.DisplayName == "TypedSpool run telemetry.fail");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
    }
}
