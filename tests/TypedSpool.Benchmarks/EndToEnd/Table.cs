using System.Globalization;
using System.Text;
using TypedSpool.Benchmarks.EndToEnd.Systems;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>The printed table: each system's medians, TypedSpool's ratios to each peer, the scaling line, how it ran.</summary>
internal static class Table
{
    private const int NameWidth = 40;
    private const int CellWidth = 12;

    public static string Render(E2eOptions o, IReadOnlyList<SystemResult> results, ProducerScaling? scaling, MachineInfo machine, DateTimeOffset started, TimeSpan wall)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        string sqliteN = results.Any(r => r.Name == SystemNames.HangfireSqlite) && o.NSqlite != o.N ? $" (hangfire-sqlite: {o.NSqlite})" : "";
        string sqliteInterval = results.Any(r => r.Name == SystemNames.HangfireSqlite) && o.IntervalSqliteUs != o.IntervalUs
            ? Invariant($" (hangfire-sqlite: {o.IntervalSqliteUs / 1000.0:0.###} ms)") : "";
        Line($"TypedSpool end-to-end benchmark, {started:yyyy-MM-dd HH:mm} UTC, {wall.TotalSeconds:F0} s wall{(o.Quick ? ", --quick" : "")}");
        Line($"machine: {machine}");
        Line(Invariant($"n = {o.N} tasks per phase{sqliteN}; latency: {o.LatencyTasks} tasks, one every {o.IntervalUs / 1000.0:0.###} ms{sqliteInterval} after {o.LatencyWarmUp} untimed; median of {o.Repetitions} run(s)"));
        Line();
        Line(Row("system", Metric.All.Select(m => m.Header)));
        foreach (var r in results)
        {
            if (r.Skipped is not null) Line($"{r.Name,-NameWidth} skipped: {r.Skipped}");
            else Line(Row(r.Name + (r.Errors.Any() ? " (FAILED)" : ""), Metric.All.Select(m => Format(r.Median(m), m.Format))));
        }

        var ours = results.Where(r => r.Name.StartsWith("typedspool-", StringComparison.Ordinal) && r.Skipped is null).ToArray();
        var peers = results.Where(r => !r.Name.StartsWith("typedspool-", StringComparison.Ordinal) && r.Skipped is null).ToArray();
        if (ours.Length > 0 && peers.Length > 0)
        {
            Line();
            Line("TypedSpool / peer (rates: above 1x TypedSpool is faster; latency, CPU, RSS: below 1x TypedSpool is lower)");
            foreach (var peer in peers)
            {
                foreach (var our in ours)
                {
                    Line(Row($"{our.Name} / {peer.Name}", Metric.All.Select(m => Ratio(our.Median(m), peer.Median(m)))));
                }
            }
        }

        if (scaling is not null)
        {
            double? one = SystemResult.Median(scaling.Single), threads = SystemResult.Median(scaling.FourThreads), processes = SystemResult.Median(scaling.FourProcesses);
            Line();
            Line($"durable enqueue into one directory (n = {o.N}): 1 producer {Format(one, "F0")}/s; 4 threads sharing one Spooler {Format(threads, "F0")}/s ({Ratio(threads, one)}); "
                + $"4 producer processes {Format(processes, "F0")}/s ({Ratio(processes, one)})");
        }

        Line();
        Line("how each system ran:");
        foreach (var r in results) Line($"  {r.Name}: {r.Notes}");
        Line("how it is measured (each phase in fresh processes; the task appends \"id enqueued started\" to a file; stamps are CLOCK_MONOTONIC ns):");
        Line("  enqueue/s: the producer alone, no consumer running, after a warm-up that the consumer never sees;");
        Line("  drain/s: a consumer started on the queue that enqueue left, (n-1) / (last start - first start), so start-up is not counted;");
        Line("  e2e/s: producer and consumer running together, n / (last start - first enqueue);");
        Line("  p50/p99 ms: start - enqueue, idle consumer, producer in another process enqueuing one task per interval;");
        Line("  CPU ms/task: the consumer process's CPU time between its first and last task (drain) / (n-1); RSS MB: its VmHWM (drain).");

        var failures = results.SelectMany(r => r.Errors.Select(e => $"{r.Name}, {e}")).Concat(scaling?.Errors ?? []).ToArray();
        if (failures.Length > 0)
        {
            Line();
            Line("FAILED runs:");
            foreach (var failure in failures) Line("  " + failure.Split('\n')[0]);
        }
        return text.ToString();
    }

    private static string Row(string name, IEnumerable<string> cells) =>
        $"{name,-NameWidth}" + string.Concat(cells.Select(c => c.PadLeft(CellWidth)));

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Ratio(double? ours, double? peer) =>
        ours is { } a && peer is { } b && b > 0 ? (a / b).ToString(a / b >= 10 ? "F0" : a / b >= 0.1 ? "F2" : "G2", CultureInfo.InvariantCulture) + "x" : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
