using System.Globalization;
using System.Text.Json;

namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>Phases the coordinator runs through child processes of this program (see <see cref="Child.ChildMain"/>).</summary>
internal static class ChildPhases
{
    public static async Task<JsonElement> RunAsync(string system, string phase, string store, int timeoutTasks, params string[] more)
    {
        using var child = SelfProcess.Start(["--system", system, "--phase", phase, "--store", store, .. more]);
        return await child.ResultAsync(RunContext.Timeout(timeoutTasks));
    }

    /// <summary>
    /// Enqueue-to-start latency with an idle consumer already running and a separate producer process writing one
    /// task every interval. <paramref name="startConsumerAsync"/> starts the consumer and returns once it is idle.
    /// </summary>
    public static async Task MeasureLatencyAsync(RunContext context, string system, string store, string log, Func<Task<LatencyConsumer>> startConsumerAsync)
    {
        var o = context.Options;
        using var consumer = await startConsumerAsync();
        var producer = await RunAsync(system, "produce", store, o.LatencyTasks + o.LatencyWarmUp,
            "--n", Text(o.LatencyTasks), "--warmup", Text(o.LatencyWarmUp), "--interval-us", Text(o.IntervalFor(system)));
        await consumer.WaitDoneAsync();
        SetLatency(context, TaskLogFile.Read(log, o.LatencyTasks), producer);
    }

    /// <summary>Latency percentiles, and (results.json only) how much of it the producer's enqueue call took.</summary>
    public static void SetLatency(RunContext context, TaskLogFile tasks, JsonElement producerReport)
    {
        context.Figures.LatencyP50Ms = tasks.LatencyMs(0.50);
        context.Figures.LatencyP99Ms = tasks.LatencyMs(0.99);
        context.Figures.Extra["enqueue_call_p50_ms"] = producerReport.Long("enqueue_call_p50_ns") / 1e6;
        context.Figures.Extra["enqueue_call_p99_ms"] = producerReport.Long("enqueue_call_p99_ns") / 1e6;
    }

    public static long Long(this JsonElement report, string name) =>
        report.TryGetProperty(name, out var value) ? value.GetInt64() : throw new BenchmarkFailure($"child report lacks {name}: {report}");

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
