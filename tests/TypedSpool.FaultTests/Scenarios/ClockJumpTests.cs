using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// Time as the worker sees it (SpoolWorkerOptions.TimeProvider) jumping: <c>at</c> and retry backoff are never run
/// early, and are run within the stated skew once due. Stated skew: with a timer-driven clock, 1 ms (the worker sleeps
/// until 1 ms past the earliest due time); after a wall-clock jump, at most one Frequency (the next full scan).
/// </summary>
public sealed class ClockJumpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task At_and_backoff_are_never_early_and_run_as_soon_as_the_clock_reaches_them()
    {
        using var spool = new TempSpool("fault-clock");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var start = clock.GetUtcNow();
        var spooler = new Spooler(spool.Path, new SpoolerSettings { TimeProvider = clock, Durability = SpoolDurability.None });
        var runs = new ConcurrentQueue<(string Id, int Attempt, DateTimeOffset At)>();
        var options = new SpoolWorkerOptions
        {
            Directory = spool.Path, TimeProvider = clock, WatchForChanges = false, Durability = SpoolDurability.None,
            Frequency = TimeSpan.FromHours(1), // only the due-time timer can wake it
            RetryPolicy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(10), Jitter = 0 },
        };
        await using var worker = new SpoolWorker(options, new DelegateSpoolTaskHandler((task, _) =>
        {
            runs.Enqueue((task.Packet.GetText("id")!, task.Attempt, clock.GetUtcNow()));
            return task.Packet.GetText("id") == "flaky" && task.Attempt == 1
                ? throw new InvalidOperationException("first attempt fails")
                : ValueTask.FromResult(SpoolResult.Ok);
        }));

        var at = start + TimeSpan.FromMinutes(10);
        spooler.Enqueue(FaultTask.Create("at", 8, new Random(1)), new SpoolOptions { At = at });
        spooler.Enqueue(FaultTask.Create("flaky", 8, new Random(2)));
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);

        await Wait.UntilAsync(() => runs.Count == 1, TimeSpan.FromSeconds(5), () => "the due task did not run");
        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(300, Ct);
        Assert.Single(runs); // the retry is not due for another millisecond
        clock.Advance(TimeSpan.FromMilliseconds(2));
        await Wait.UntilAsync(() => runs.Count == 2, TimeSpan.FromSeconds(5), () => "the retry did not run once its backoff elapsed");

        clock.SetUtcNow(at - TimeSpan.FromMilliseconds(1));
        await Task.Delay(300, Ct);
        Assert.Equal(2, runs.Count);
        clock.SetUtcNow(at + TimeSpan.FromMilliseconds(1));
        await Wait.UntilAsync(() => runs.Count == 3, TimeSpan.FromSeconds(5), () => "the at task did not run at its time");
        await stop.CancelAsync();
        await running;

        var list = runs.ToList();
        Assert.Equal(("flaky", 2), (list[1].Id, list[1].Attempt));
        Assert.InRange(list[1].At, start + TimeSpan.FromSeconds(10), start + TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(("at", 1), (list[2].Id, list[2].Attempt));
        Assert.InRange(list[2].At, at, at + TimeSpan.FromMilliseconds(1));
        FaultSummary.Add(new FaultRow("8a clock jumps (timer clock)", 3, 2, 2, 0, 0, 0, "at and 10 s backoff: never early, at most 1 ms late"));
    }

    [Fact]
    public async Task A_wall_clock_jump_delays_nothing_by_more_than_one_scan_and_a_backward_jump_runs_nothing_early()
    {
        using var spool = new TempSpool("fault-clock-jump");
        var clock = new JumpingClock();
        var spooler = new Spooler(spool.Path, new SpoolerSettings { TimeProvider = clock, Durability = SpoolDurability.None });
        var runs = new ConcurrentQueue<string>();
        var frequency = TimeSpan.FromSeconds(1);
        await using var worker = new SpoolWorker(new SpoolWorkerOptions
        {
            Directory = spool.Path, TimeProvider = clock, WatchForChanges = false, Durability = SpoolDurability.None, Frequency = frequency,
        }, new DelegateSpoolTaskHandler((task, _) =>
        {
            runs.Enqueue(task.Packet.GetText("id")!);
            return ValueTask.FromResult(SpoolResult.Ok);
        }));
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);

        // Due in 30 minutes; the clock jumps an hour back, then 90 minutes forward.
        spooler.Enqueue(FaultTask.Create("half-hour", 8, new Random(1)), new SpoolOptions { Delay = TimeSpan.FromMinutes(30) });
        clock.Jump(TimeSpan.FromHours(-1));
        spooler.Enqueue(FaultTask.Create("after-back-jump", 8, new Random(2)));
        await Wait.UntilAsync(() => runs.Contains("after-back-jump"), TimeSpan.FromSeconds(5), () => "a task due on the new clock did not run");
        await Task.Delay(frequency * 1.5, Ct);
        Assert.DoesNotContain("half-hour", runs);

        clock.Jump(TimeSpan.FromMinutes(90));
        var jumped = DateTime.UtcNow;
        await Wait.UntilAsync(() => runs.Contains("half-hour"), frequency * 3, () => "the forward jump was not noticed within a scan");
        var late = DateTime.UtcNow - jumped;
        await stop.CancelAsync();
        await running;

        Assert.True(late <= frequency + TimeSpan.FromMilliseconds(500), $"ran {late.TotalMilliseconds:0} ms after the jump; the stated bound is one Frequency ({frequency})");
        FaultSummary.Add(new FaultRow("8b wall-clock jumps (-1 h, +90 min)", 2, 2, 2, 0, 0, 0, $"nothing early; forward jump noticed after {late.TotalMilliseconds:0} ms (bound: Frequency)"));
    }
}
