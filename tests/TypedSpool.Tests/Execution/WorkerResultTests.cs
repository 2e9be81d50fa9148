using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TypedSpool.Format;
using TypedSpool.Testing;
using static TypedSpool.Tests.Execution.WorkerTestKit;

namespace TypedSpool.Tests.Execution;

/// <summary>What happens to a file after each kind of run: delete, retry with backoff, dead letter, ignore, quarantine.</summary>
public class WorkerResultTests
{
    [Fact]
    public async Task Ok_deletes_the_file_and_the_handler_sees_the_task()
    {
        using var spool = new TempSpool();
        var enqueued = new Spooler(spool.Path).Enqueue(Packet(("ud_spool_func", "send_mail"), ("to", "a@b")).WithBody("hi"u8.ToArray()));
        var handler = new RecordingHandler();
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, handler);

        var summary = await worker.RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, summary.Succeeded);
        var task = Assert.Single(handler.Runs);
        Assert.Equal("send_mail", task.Name);
        Assert.Equal("a@b", task.Packet.GetText("to"));
        Assert.Equal("hi"u8.ToArray(), task.Body.ToArray());
        Assert.Equal(1, task.Attempt);
        Assert.Equal(enqueued.Path, task.FilePath);
        Assert.Equal(enqueued.FileName, task.FileName);
        Assert.Null(task.Priority);
        Assert.Empty(spool.TaskFiles());
    }

    [Fact]
    public async Task An_exception_reschedules_with_the_next_attempt_and_a_later_mtime()
    {
        using var spool = new TempSpool();
        var clock = Clock();
        new Spooler(spool.Path).Enqueue(Packet(("ud_spool_func", "flaky")).WithBody("keep me"u8.ToArray()));
        var handler = new RecordingHandler((_, _) => throw new InvalidOperationException("smtp down"));
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, TimeProvider = clock, RetryPolicy = NoJitter(5) }, handler);

        var first = await worker.RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, first.Retried);
        string file = Assert.Single(spool.TaskFiles());
        var packet = SpoolPacketCodec.Decode(File.ReadAllBytes(file));
        Assert.Equal("2", packet.GetText(SpoolKeys.Attempt));
        Assert.Equal("keep me"u8.ToArray(), packet.Body.ToArray());
        Assert.Equal((clock.GetUtcNow() + TimeSpan.FromSeconds(10)).UtcDateTime, File.GetLastWriteTimeUtc(file), TimeSpan.FromMilliseconds(1));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(10), first.NextDue!.Value, TimeSpan.FromMilliseconds(1));

        // Not due yet: nothing runs.
        var early = await worker.RunOnceAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, early.Handled);
        Assert.Single(handler.Runs);

        clock.Advance(TimeSpan.FromSeconds(10));
        var second = await worker.RunOnceAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, second.Retried);
        Assert.Equal([1, 2], handler.Runs.Select(r => r.Attempt));
        // Backoff doubles: the third run is 20 s after the second.
        Assert.Equal((clock.GetUtcNow() + TimeSpan.FromSeconds(20)).UtcDateTime, File.GetLastWriteTimeUtc(Assert.Single(spool.TaskFiles())), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task After_the_last_attempt_the_task_moves_to_the_dead_letter_directory_with_a_note()
    {
        using var spool = new TempSpool();
        var clock = Clock();
        var enqueued = new Spooler(spool.Path).Enqueue(Packet(("ud_spool_func", "doomed")));
        var handler = new RecordingHandler((_, _) => throw new InvalidOperationException("always broken"));
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, TimeProvider = clock, RetryPolicy = NoJitter(3) }, handler);

        for (int i = 0; i < 3; i++)
        {
            await worker.RunOnceAsync(TestContext.Current.CancellationToken);
            clock.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal([1, 2, 3], handler.Runs.Select(r => r.Attempt));
        Assert.Empty(spool.TaskFiles());
        string dead = Assert.Single(spool.TaskFiles("dead"));
        Assert.Equal(enqueued.FileName, Path.GetFileName(dead));
        using var note = JsonDocument.Parse(File.ReadAllBytes(dead + ".reason.json"));
        Assert.Equal("dead-letter", note.RootElement.GetProperty("kind").GetString());
        Assert.Equal(3, note.RootElement.GetProperty("attempt").GetInt32());
        Assert.Equal("doomed", note.RootElement.GetProperty("task").GetString());
        Assert.Contains("always broken", note.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", note.RootElement.GetProperty("exception").GetString(), StringComparison.Ordinal);

        // Nothing scans the dead-letter directory.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await worker.RunOnceAsync(TestContext.Current.CancellationToken)).Handled);
    }

    [Fact]
    public async Task Returning_Retry_counts_like_an_exception()
    {
        using var spool = new TempSpool();
        var clock = Clock();
        new Spooler(spool.Path).Enqueue(Packet(("k", "v")));
        var handler = new RecordingHandler((_, _) => ValueTask.FromResult(SpoolResult.Retry));
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, TimeProvider = clock, RetryPolicy = NoJitter(1) }, handler);

        var summary = await worker.RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, summary.DeadLettered);
        string dead = Assert.Single(spool.TaskFiles("dead"));
        Assert.Contains("returned Retry", File.ReadAllText(dead + ".reason.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_result_values_count_as_retry_as_in_uwsgi()
    {
        using var spool = new TempSpool();
        new Spooler(spool.Path).Enqueue(Packet(("k", "v")));
        var handler = new RecordingHandler((_, _) => ValueTask.FromResult((SpoolResult)5));
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, RetryPolicy = NoJitter(3) }, handler);
        Assert.Equal(1, (await worker.RunOnceAsync(TestContext.Current.CancellationToken)).Retried);
    }

    [Fact]
    public async Task MaxAttempts_zero_retries_forever_as_uwsgi()
    {
        using var spool = new TempSpool();
        var clock = Clock();
        new Spooler(spool.Path).Enqueue(Packet(("k", "v")));
        var handler = new RecordingHandler((_, _) => ValueTask.FromResult(SpoolResult.Retry));
        var policy = new RetryPolicy { MaxAttempts = 0, InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), Jitter = 0 };
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, TimeProvider = clock, RetryPolicy = policy }, handler);
        for (int i = 0; i < 25; i++)
        {
            await worker.RunOnceAsync(TestContext.Current.CancellationToken);
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(25, handler.Runs.Count);
        Assert.Single(spool.TaskFiles());
        Assert.Empty(spool.TaskFiles("dead"));
    }

    [Fact]
    public async Task Ignore_leaves_the_file_untouched()
    {
        using var spool = new TempSpool();
        string path = new Spooler(spool.Path).Enqueue(Packet(("k", "v"))).Path;
        byte[] before = File.ReadAllBytes(path);
        var mtime = File.GetLastWriteTimeUtc(path);
        var handler = new RecordingHandler((_, _) => ValueTask.FromResult(SpoolResult.Ignore));
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, handler);

        Assert.Equal(1, (await worker.RunOnceAsync(TestContext.Current.CancellationToken)).Ignored);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task A_corrupt_file_is_quarantined_with_the_reason_and_never_run()
    {
        using var spool = new TempSpool();
        string path = spool.Combine("uwsgi_spoolfile_on_h_1_1_1_1_1");
        File.WriteAllBytes(path, [17, 100, 0, 0, 1, 0, (byte)'k', 0, 0]);
        var handler = new RecordingHandler();
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, handler);

        Assert.Equal(1, (await worker.RunOnceAsync(TestContext.Current.CancellationToken)).Quarantined);

        Assert.Empty(handler.Runs);
        Assert.Empty(spool.TaskFiles());
        string moved = Assert.Single(spool.TaskFiles("quarantine"));
        Assert.Equal([17, 100, 0, 0, 1, 0, (byte)'k', 0, 0], File.ReadAllBytes(moved));
        using var note = JsonDocument.Parse(File.ReadAllBytes(moved + ".reason.json"));
        Assert.Equal("quarantine", note.RootElement.GetProperty("kind").GetString());
        Assert.Contains("AreaOverrunsFile", note.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, note.RootElement.GetProperty("offset").GetInt32());
        Assert.Equal(path, note.RootElement.GetProperty("originalPath").GetString());
    }

    [Fact]
    public async Task A_file_shorter_than_a_header_is_left_alone_while_young_then_quarantined()
    {
        using var spool = new TempSpool();
        var clock = Clock();
        string path = spool.Combine("uwsgi_spoolfile_on_h_1_1_1_1_1");
        File.WriteAllBytes(path, [17, 0]);
        File.SetLastWriteTimeUtc(path, clock.GetUtcNow().UtcDateTime);
        var handler = new RecordingHandler();
        var options = new SpoolWorkerOptions { Directory = spool.Path, TimeProvider = clock, IncompleteFileGrace = TimeSpan.FromMinutes(1) };
        await using var worker = new SpoolWorker(options, handler);

        var young = await worker.RunOnceAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, young.Handled);
        Assert.True(File.Exists(path));
        // Looked at again within a fraction of a second, not at the end of the grace: uWSGI's writer may be filling it
        // now, and its close does not wake the worker.
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMilliseconds(200), young.NextDue);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await worker.RunOnceAsync(TestContext.Current.CancellationToken)).Quarantined);
        Assert.Contains("HeaderTruncated", File.ReadAllText(Assert.Single(spool.TaskFiles("quarantine")) + ".reason.json"), StringComparison.Ordinal);
        Assert.Empty(handler.Runs);
    }

    [Fact]
    public async Task Stale_temporary_files_of_crashed_producers_are_removed_and_fresh_ones_kept()
    {
        using var spool = new TempSpool();
        string stale = spool.Combine(".typedspool-tmp.uwsgi_spoolfile_on_h_1_1_1_1_1");
        string fresh = spool.Combine(".typedspool-tmp.uwsgi_spoolfile_on_h_1_2_1_1_1");
        File.WriteAllBytes(stale, [1]);
        File.WriteAllBytes(fresh, [1]);
        // Two hours later on the worker's clock (a file's ctime cannot be set back): the fresh one was written just now.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2));
        File.SetLastWriteTimeUtc(fresh, clock.GetUtcNow().UtcDateTime);
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, TimeProvider = clock }, new RecordingHandler());

        await worker.RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task A_temporary_file_with_an_old_mtime_but_a_new_ctime_is_kept_as_a_producer_may_be_writing_a_recycled_file()
    {
        using var spool = new TempSpool();
        string taken = spool.Combine(".typedspool-tmp.uwsgi_spoolfile_on_h_1_3_1_1_1");
        File.WriteAllBytes(taken, [1]);
        File.SetLastWriteTimeUtc(taken, DateTime.UtcNow.AddHours(-2));
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, new RecordingHandler());

        await worker.RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(taken));
    }

    [Theory]
    [InlineData(0, "Concurrency")]
    [InlineData(-1, "Frequency")]
    [InlineData(-2, "MaxAttempts")]
    [InlineData(-3, "Directory")]
    public void Invalid_options_fail_naming_the_option(int which, string named)
    {
        var options = which switch
        {
            0 => new SpoolWorkerOptions { Directory = "/tmp/x", Concurrency = 0 },
            -1 => new SpoolWorkerOptions { Directory = "/tmp/x", Frequency = TimeSpan.Zero },
            -2 => new SpoolWorkerOptions { Directory = "/tmp/x", RetryPolicy = new RetryPolicy { MaxAttempts = -1 } },
            _ => new SpoolWorkerOptions { Directory = " " },
        };
        var ex = Assert.Throws<ArgumentException>(() => new SpoolWorker(options, new RecordingHandler()));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
