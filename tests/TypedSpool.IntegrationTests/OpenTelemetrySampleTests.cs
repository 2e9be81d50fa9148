using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// samples/TypedSpool.Samples.OpenTelemetry as a real process: the OpenTelemetry SDK's console exporter prints
/// TypedSpool's spans (each run in the trace of its enqueue) and metrics.
/// </summary>
public sealed class OpenTelemetrySampleTests
{
    [Fact]
    public async Task The_console_exporter_shows_enqueue_and_run_spans_in_one_trace_and_the_TypedSpool_metrics()
    {
        var (exitCode, stdout, stderr) = await ChildProcess.RunDotnetAsync("TypedSpool.Samples.OpenTelemetry", [], TimeSpan.FromSeconds(90));
        string output = $"--- stdout:\n{stdout}\n--- stderr:\n{stderr}";

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{output}");
        Assert.Contains("TypedSpool enqueue", stdout, StringComparison.Ordinal);
        Assert.Contains("TypedSpool run", stdout, StringComparison.Ordinal);

        var spans = Span.Parse(stdout);
        var enqueues = spans.Where(s => s.Name.StartsWith("TypedSpool enqueue ", StringComparison.Ordinal)).ToList();
        var runs = spans.Where(s => s.Name.StartsWith("TypedSpool run ", StringComparison.Ordinal)).ToList();
        Assert.True(enqueues.Count == 3, $"3 enqueue spans expected, {enqueues.Count} found\n{output}");
        foreach (var enqueue in enqueues)
        {
            Assert.Equal("Producer", enqueue.Kind);
            string task = enqueue.Name["TypedSpool enqueue ".Length..];
            // The run continues the trace written into the spool file: same trace id, the enqueue span as parent.
            var itsRuns = runs.Where(r => r.TraceId == enqueue.TraceId).ToList();
            Assert.True(itsRuns.Count > 0, $"no run span in trace {enqueue.TraceId} of '{enqueue.Name}'\n{output}");
            Assert.All(itsRuns, run =>
            {
                Assert.Equal("TypedSpool run " + task, run.Name);
                Assert.Equal("Consumer", run.Kind);
                Assert.Equal(enqueue.SpanId, run.ParentSpanId);
            });
            Assert.Equal("ok", itsRuns[^1].Outcome);
        }
        Assert.Equal(3, enqueues.Select(e => e.TraceId).Distinct(StringComparer.Ordinal).Count());

        // The receipt fails once: its trace has the failed attempt (retry) and the successful one.
        var receipt = enqueues.Single(e => e.Name == "TypedSpool enqueue SendReceipt");
        Assert.Equal(["retry", "ok"], runs.Where(r => r.TraceId == receipt.TraceId).Select(r => r.Outcome));

        foreach (string metric in new[] { "typedspool.tasks.enqueued", "typedspool.tasks.succeeded", "typedspool.tasks.retried", "typedspool.task.duration" })
        {
            Assert.True(stdout.Contains("Metric Name: " + metric + ",", StringComparison.Ordinal), $"metric {metric} not exported\n{output}");
        }
    }

    /// <summary>One span as the console exporter prints it ("Activity.TraceId:", "Activity.SpanId:", ... lines).</summary>
    private sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, string? Outcome)
    {
        public static List<Span> Parse(string output)
        {
            var spans = new List<Span>();
            Dictionary<string, string>? current = null;
            foreach (string raw in output.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.StartsWith("Activity.TraceId:", StringComparison.Ordinal))
                {
                    Add();
                    current = new Dictionary<string, string>(StringComparer.Ordinal);
                }
                if (current is null)
                {
                    continue;
                }
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && (line.StartsWith("Activity.", StringComparison.Ordinal) || line.StartsWith("    typedspool.", StringComparison.Ordinal)))
                {
                    current.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
                }
                if (line.Length == 0)
                {
                    Add(); // a blank line ends the span's block
                }
            }
            Add();
            return spans;

            void Add()
            {
                if (current is not null)
                {
                    spans.Add(new Span(current["Activity.TraceId"], current["Activity.SpanId"], current.GetValueOrDefault("Activity.ParentSpanId"),
                        current["Activity.DisplayName"], current["Activity.Kind"], current.GetValueOrDefault("typedspool.outcome")));
                    current = null;
                }
            }
        }
    }
}
