using System.Diagnostics;
using TypedSpool.Format;
using TypedSpool.Testing;
using static TypedSpool.Tests.Execution.WorkerTestKit;

namespace TypedSpool.Tests.Execution;

/// <summary>Per-task time limits: the token fires at the limit; a task that ignores it is abandoned; no task is lost.</summary>
public class HarakiriTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_task_past_its_limit_is_cancelled_and_rescheduled_as_a_failed_attempt()
    {
        using var spool = new TempSpool();
        string path = new Spooler(spool.Path).Enqueue(Packet(("ud_spool_func", "slow"))).Path;
        var handler = new RecordingHandler(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return SpoolResult.Ok; });
        var options = new SpoolWorkerOptions { Directory = spool.Path, Harakiri = TimeSpan.FromMilliseconds(200), RetryPolicy = NoJitter(3) };
        await using var worker = new SpoolWorker(options, handler);

        var watch = Stopwatch.StartNew();
        var summary = await worker.RunOnceAsync(Ct);

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
        Assert.Equal(1, summary.Retried);
        Assert.Equal("2", SpoolPacketCodec.Decode(File.ReadAllBytes(path)).GetText(SpoolKeys.Attempt));
    }

    [Fact]
    public async Task A_task_that_ignores_its_token_is_abandoned_and_its_file_kept_for_a_retry()
    {
        using var spool = new TempSpool();
        string path = new Spooler(spool.Path).Enqueue(Packet(("ud_spool_func", "stubborn"))).Path;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(async (_, _) => { await release.Task; return SpoolResult.Ok; });
        var options = new SpoolWorkerOptions
        {
            Directory = spool.Path,
            Harakiri = TimeSpan.FromMilliseconds(200),
            HarakiriGrace = TimeSpan.FromMilliseconds(200),
            RetryPolicy = NoJitter(1),
        };
        await using var worker = new SpoolWorker(options, handler);

        var summary = await worker.RunOnceAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // The only attempt failed by harakiri: dead-lettered, not lost, although the runaway is still running.
        Assert.Equal(1, summary.DeadLettered);
        Assert.False(File.Exists(path));
        string dead = Assert.Single(spool.TaskFiles("dead"));
        Assert.Contains("ignored its cancellation token", File.ReadAllText(dead + ".reason.json"), StringComparison.Ordinal);
        release.SetResult(); // the runaway finishing later changes nothing
        await Task.Delay(100, Ct);
        Assert.True(File.Exists(dead));
    }

    [Fact]
    public void Harakiri_options_are_validated()
    {
        Assert.Contains("Harakiri", Assert.Throws<ArgumentException>(() => new SpoolWorker(
            new SpoolWorkerOptions { Directory = "/tmp/x", Harakiri = TimeSpan.Zero }, new RecordingHandler())).Message, StringComparison.Ordinal);
    }
}
