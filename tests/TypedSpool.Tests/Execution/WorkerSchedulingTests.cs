using System.Diagnostics;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;
using static TypedSpool.Tests.Execution.WorkerTestKit;

namespace TypedSpool.Tests.Execution;

/// <summary>Which files run, in what order and when: priorities, <c>at</c>, wake-ups, concurrency, shutdown.</summary>
public class WorkerSchedulingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ordered_mode_runs_priorities_in_numeric_order_then_top_level_files()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path);
        spooler.Enqueue(Packet(("id", "top-1")));
        spooler.Enqueue(Packet(("id", "p10")), new SpoolOptions { Priority = 10 });
        spooler.Enqueue(Packet(("id", "p2-a")), new SpoolOptions { Priority = 2 });
        spooler.Enqueue(Packet(("id", "top-2")));
        spooler.Enqueue(Packet(("id", "p2-b")), new SpoolOptions { Priority = 2 });
        spooler.Enqueue(Packet(("id", "p0")), new SpoolOptions { Priority = 0 });
        var handler = new RecordingHandler();
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Ordered = true }, handler);

        await worker.RunOnceAsync(Ct);

        Assert.Equal(["p0", "p2-a", "p2-b", "p10", "top-1", "top-2"], handler.Values("id"));
        Assert.Equal([0, 2, 2, 10, null, null], handler.Runs.Select(r => r.Priority));
    }

    [Fact]
    public async Task Unordered_mode_ignores_priority_directories_as_uwsgi_does()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path);
        spooler.Enqueue(Packet(("id", "top")));
        spooler.Enqueue(Packet(("id", "p1")), new SpoolOptions { Priority = 1 });
        var handler = new RecordingHandler();
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, handler);

        await worker.RunOnceAsync(Ct);

        Assert.Equal(["top"], handler.Values("id"));
        Assert.Single(spool.TaskFiles("1"));
    }

    [Fact]
    public async Task Non_task_files_symlinks_and_non_numeric_directories_are_never_run()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path);
        string real = spooler.Enqueue(Packet(("id", "real")), new SpoolOptions { At = DateTimeOffset.UtcNow.AddDays(1) }).Path;
        File.CreateSymbolicLink(spool.Combine("uwsgi_spoolfile_on_link_1_1_1_1_1"), real);
        File.WriteAllBytes(spool.Combine("not_a_task"), SpoolPacketCodec.EncodeFile(Packet(("id", "other"))));
        Directory.CreateDirectory(spool.Combine("high"));
        File.WriteAllBytes(spool.Combine("high", "uwsgi_spoolfile_on_h_1_1_1_1_1"), SpoolPacketCodec.EncodeFile(Packet(("id", "high"))));
        Directory.CreateDirectory(spool.Combine("uwsgi_spoolfile_on_dir_1_1_1_1_1"));
        var handler = new RecordingHandler();
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Ordered = true }, handler);

        var summary = await worker.RunOnceAsync(Ct);

        Assert.Empty(handler.Runs);
        Assert.Equal(0, summary.Handled);
        Assert.True(File.Exists(spool.Combine("high", "uwsgi_spoolfile_on_h_1_1_1_1_1")));
    }

    [Fact]
    public async Task A_future_at_waits_for_the_clock_and_is_reported_as_next_due()
    {
        using var spool = new TempSpool();
        var clock = Clock();
        var at = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds() + 3600);
        new Spooler(spool.Path).Enqueue(Packet(("id", "later")), new SpoolOptions { At = at });
        var handler = new RecordingHandler();
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, TimeProvider = clock }, handler);

        var before = await worker.RunOnceAsync(Ct);
        Assert.Empty(handler.Runs);
        Assert.Equal(at, before.NextDue);

        clock.SetUtcNow(at);
        await worker.RunOnceAsync(Ct);
        Assert.Equal(["later"], handler.Values("id"));
    }

    [Fact]
    public async Task Every_uwsgi_fixture_runs_except_non_numeric_priorities_and_future_at()
    {
        using var spool = new TempSpool();
        var expected = new List<string>();
        foreach (var (caseName, file, _) in Fixtures.UwsgiFiles())
        {
            string relative = Path.GetRelativePath(Path.Combine(Fixtures.UwsgiCases, caseName), file);
            string target = spool.Combine(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // git and copies lose the mtime, which carries uWSGI's schedule: restore it from the sidecar.
            using var sidecar = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(file + ".json"));
            long mtime = sidecar.RootElement.GetProperty("mtime").GetInt64();
            File.SetLastWriteTimeUtc(target, DateTimeOffset.FromUnixTimeSeconds(mtime).UtcDateTime);
            bool runnable = !relative.StartsWith("high", StringComparison.Ordinal) && DateTimeOffset.FromUnixTimeSeconds(mtime) <= DateTimeOffset.UtcNow;
            if (runnable) expected.Add(Path.GetFileName(file));
        }
        var handler = new RecordingHandler();
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Ordered = true }, handler);

        var summary = await worker.RunOnceAsync(Ct);

        Assert.Equal(expected.Order(StringComparer.Ordinal), handler.Runs.Select(r => r.FileName).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, summary.Succeeded);
        Assert.True(expected.Count >= 20, $"only {expected.Count} runnable fixtures");
        Assert.Contains(handler.Runs, r => r.Name == "fx_spool" && r.Packet.GetText("ud_spool_ret") == "-2");
        Assert.Contains(handler.Runs, r => r.Body.Length == 100_000);
        Assert.Contains(handler.Runs, r => r.Priority == 5);
    }

    [Fact]
    public async Task An_in_process_enqueue_wakes_a_waiting_worker_at_once()
    {
        using var spool = new TempSpool();
        var ran = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler((_, _) => { ran.TrySetResult(Stopwatch.GetTimestamp()); return ValueTask.FromResult(SpoolResult.Ok); });
        // No file watching and an hour between scans: only the in-process signal can wake it.
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Frequency = TimeSpan.FromHours(1), WatchForChanges = false }, handler);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = worker.RunAsync(stop.Token);
        await Task.Delay(200, Ct);

        long enqueued = Stopwatch.GetTimestamp();
        new Spooler(spool.Path).Enqueue(Packet(("id", "now")));
        var finished = await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(10), Ct));

        Assert.True(finished == ran.Task, "the worker did not wake within 10 s");
        TestContext.Current.SendDiagnosticMessage($"in-process wake-up latency: {Stopwatch.GetElapsedTime(enqueued, await ran.Task).TotalMilliseconds:F1} ms");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_file_written_by_another_producer_is_picked_up_through_inotify()
    {
        using var spool = new TempSpool();
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler((_, _) => { ran.TrySetResult(); return ValueTask.FromResult(SpoolResult.Ok); });
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Frequency = TimeSpan.FromHours(1) }, handler);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = worker.RunAsync(stop.Token);
        await Task.Delay(300, Ct);

        // Written as a foreign program would (no in-process signal): temp name, then rename.
        string temp = spool.Combine("incoming.tmp");
        File.WriteAllBytes(temp, SpoolPacketCodec.EncodeFile(Packet(("id", "foreign"))));
        File.Move(temp, spool.Combine("uwsgi_spoolfile_on_other_1_1_1_1_1"));
        var finished = await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(10), Ct));

        Assert.True(finished == ran.Task, "the worker did not notice the new file within 10 s");
        await stop.CancelAsync();
        await running;
        Assert.Empty(spool.TaskFiles());
    }

    [Fact]
    public async Task In_ordered_mode_a_file_in_a_priority_directory_created_after_start_is_picked_up_through_inotify()
    {
        using var spool = new TempSpool();
        var ran = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler((task, _) => { ran.TrySetResult(task.Priority); return ValueTask.FromResult(SpoolResult.Ok); });
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Ordered = true, Frequency = TimeSpan.FromHours(1) }, handler);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = worker.RunAsync(stop.Token);
        await Task.Delay(300, Ct);

        // Another process makes the priority directory, then renames a file into it.
        Directory.CreateDirectory(spool.Combine("7"));
        string temp = spool.Combine("7", "incoming.tmp");
        File.WriteAllBytes(temp, SpoolPacketCodec.EncodeFile(Packet(("id", "p7"))));
        File.Move(temp, spool.Combine("7", "uwsgi_spoolfile_on_other_1_1_1_1_1"));
        var finished = await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(10), Ct));

        Assert.True(finished == ran.Task, "the worker did not notice the file in the new priority directory within 10 s");
        Assert.Equal(7, await ran.Task);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_spool_directory_removed_and_made_again_is_watched_again_after_the_next_full_scan()
    {
        using var parent = new TempSpool();
        string directory = parent.Combine("spool");
        Directory.CreateDirectory(directory);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(5));
        var ran = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource>();
        TaskCompletionSource Ran(string id) => ran.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var handler = new RecordingHandler((task, _) => { Ran(task.Packet.GetText("id")!).TrySetResult(); return ValueTask.FromResult(SpoolResult.Ok); });
        // A fake clock: full scans happen only when the test advances it, so only inotify can find a file in between.
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = directory, Frequency = TimeSpan.FromHours(1), TimeProvider = clock }, handler);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = worker.RunAsync(stop.Token);
        await Task.Delay(300, Ct);

        Directory.Delete(directory, recursive: true);
        await Task.Delay(300, Ct);
        Directory.CreateDirectory(directory);
        WriteForeign(directory, "sentinel");
        clock.Advance(TimeSpan.FromHours(2)); // the full scan: it restarts the watch, then runs the sentinel
        Assert.True(await Finished(Ran("sentinel").Task), "the full scan did not run the sentinel within 10 s");
        WriteForeign(directory, "after");

        Assert.True(await Finished(Ran("after").Task), "the worker did not notice a file in the remade directory within 10 s");
        await stop.CancelAsync();
        await running;

        static void WriteForeign(string directory, string id)
        {
            string temp = Path.Combine(directory, "incoming.tmp");
            File.WriteAllBytes(temp, SpoolPacketCodec.EncodeFile(Packet(("id", id))));
            File.Move(temp, Path.Combine(directory, $"uwsgi_spoolfile_on_other_1_{id.Length}_{id[0] % 10}_1_1"));
        }

        async Task<bool> Finished(Task task) => await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10), Ct)) == task;
    }

    [Fact]
    public async Task A_timer_wakes_the_worker_for_the_earliest_at()
    {
        using var spool = new TempSpool();
        var ran = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler((_, _) => { ran.TrySetResult(DateTimeOffset.UtcNow); return ValueTask.FromResult(SpoolResult.Ok); });
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Frequency = TimeSpan.FromHours(1), WatchForChanges = false }, handler);
        var at = DateTimeOffset.UtcNow.AddSeconds(1.5);
        new Spooler(spool.Path).Enqueue(Packet(("id", "timed")), new SpoolOptions { At = at });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = worker.RunAsync(stop.Token);

        var finished = await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(15), Ct));

        Assert.True(finished == ran.Task, "the task did not run within 15 s of its at");
        var ranAt = await ran.Task;
        Assert.True(ranAt >= at, $"ran at {ranAt:O}, before its at {at:O}");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Concurrency_runs_tasks_in_parallel_up_to_the_limit_and_each_once()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        for (int i = 0; i < 40; i++) spooler.Enqueue(Packet(("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        int current = 0, peak = 0;
        var handler = new RecordingHandler(async (_, _) =>
        {
            int now = Interlocked.Increment(ref current);
            int seen;
            while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen) { }
            await Task.Delay(30);
            Interlocked.Decrement(ref current);
            return SpoolResult.Ok;
        });
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Concurrency = 4 }, handler);

        var summary = await worker.RunOnceAsync(Ct);

        Assert.Equal(40, summary.Succeeded);
        Assert.Equal(40, handler.Values("id").Distinct().Count());
        Assert.InRange(peak, 2, 4);
        Assert.Empty(spool.TaskFiles());
    }

    [Fact]
    public async Task Stopping_lets_the_running_task_finish_and_takes_no_new_one()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path);
        spooler.Enqueue(Packet(("id", "first")));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(async (_, _) => { started.TrySetResult(); await release.Task; return SpoolResult.Ok; });
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Concurrency = 2 }, handler);
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await stop.CancelAsync();
        spooler.Enqueue(Packet(("id", "second")));
        await Task.Delay(200, Ct);
        Assert.False(running.IsCompleted, "RunAsync returned while a task was still running");
        release.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(["first"], handler.Values("id"));
        Assert.Single(spool.TaskFiles());
    }

    [Fact]
    public async Task A_task_abandoned_on_dispose_stays_in_the_spool_with_its_attempt_unchanged()
    {
        using var spool = new TempSpool();
        string path = new Spooler(spool.Path).Enqueue(Packet(("id", "slow"))).Path;
        byte[] before = File.ReadAllBytes(path);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(async (_, ct) => { started.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); return SpoolResult.Ok; });
        var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Concurrency = 2 }, handler);
        var pass = worker.RunOnceAsync(Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await worker.DisposeAsync();
        var summary = await pass.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(1, summary.Ignored);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
