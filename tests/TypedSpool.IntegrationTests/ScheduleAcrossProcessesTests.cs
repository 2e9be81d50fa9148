using System.Diagnostics;
using System.Globalization;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>[Timer] and [Cron] tasks in two real host processes on one spool: every slot fires exactly once.</summary>
public class ScheduleAcrossProcessesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hosts_on_one_spool_run_each_timer_and_cron_slot_exactly_once()
    {
        using var spool = new TempSpool("schedule");
        string log = spool.Combine("runs.log");
        string[] arguments = ["--spool", spool.Combine("spool"), "--log", log];
        using var a = ChildProcess.StartDotnet("TypedSpool.TestHost", arguments, readyLine: "ready");
        using var b = ChildProcess.StartDotnet("TypedSpool.TestHost", arguments, readyLine: "ready");
        await a.WaitReadyAsync(TimeSpan.FromSeconds(30));
        await b.WaitReadyAsync(TimeSpan.FromSeconds(30));

        var watch = Stopwatch.StartNew();
        while (Runs(log).Count(r => r.Kind == "timer") < 5)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"timers did not fire.\nA: {a.StandardError}\nB: {b.StandardError}");
            Assert.False(a.Process.HasExited || b.Process.HasExited, $"a host exited.\nA: {a.StandardError}\nB: {b.StandardError}");
            await Task.Delay(200, Token);
        }
        a.Kill();
        b.Kill();
        await Task.Delay(300, Token);

        var runs = Runs(log);
        foreach (var kind in new[] { "timer", "cron" })
        {
            var slots = runs.Where(r => r.Kind == kind).Select(r => r.Slot).ToList();
            var duplicates = slots.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"{kind} slots fired more than once: {string.Join(", ", duplicates)}");
            var ordered = slots.Order().ToList();
            Assert.True(ordered.Count >= 2, $"too few {kind} runs: {string.Join(", ", ordered)}");
            // Slots missed under load are coalesced into one firing (the documented policy), so gaps are allowed;
            // duplicates are not, and cron slots stay on their schedule.
            if (kind == "cron")
            {
                Assert.All(ordered, s => Assert.Equal(0, s % 2));
            }
        }
        TestContext.Current.SendDiagnosticMessage($"runs by pid: {string.Join(", ", runs.GroupBy(r => r.Pid).Select(g => $"{g.Key}: {g.Count()}"))}");
    }

    private static List<(string Kind, long Slot, int Pid)> Runs(string log)
    {
        if (!File.Exists(log)) return [];
        return [.. File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(p =>
            (p[0], long.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[2], CultureInfo.InvariantCulture)))];
    }
}
