using System.Diagnostics;
using System.Text;
using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// Real worker processes (TypedSpool.TestWorker) on real spool directories: lock exclusion between processes,
/// interop with uWSGI's POSIX record locks, at-least-once after SIGKILL, retries, dead letters and quarantine.
/// </summary>
public sealed class CrossProcessTests
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(15);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_worker_processes_run_every_task_exactly_once()
    {
        using var spool = new TempSpool("xproc-exclusion");
        // One shared log: the TestWorker appends each line with a single O_APPEND write.
        string log = spool.Combine("events.jsonl");
        var producer = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        const int Total = 300;
        const int Before = 150;

        void Enqueue(int id)
        {
            var pairs = new List<KeyValuePair<string, string>> { new("id", Id(id)) };
            if (id % 20 == 0)
            {
                pairs.Add(new("sleep_ms", "5"));
            }
            producer.Enqueue(SpoolPacket.FromText(pairs));
        }

        for (int i = 0; i < Before; i++)
        {
            Enqueue(i);
        }

        using var a = await WorkerProcess.StartAsync(spool.Path, log, "--frequency-ms", "2000");
        using var b = await WorkerProcess.StartAsync(spool.Path, log, "--frequency-ms", "2000", "--concurrency", "3");

        // The rest arrive while both consume.
        for (int i = Before; i < Total; i++)
        {
            Enqueue(i);
            if (i % 10 == 0)
            {
                await Task.Delay(5, Token);
            }
        }

        await Wait.UntilAsync(() => spool.TaskFiles().Length == 0 && TemporaryFiles(spool.Path).Length == 0, TimeSpan.FromSeconds(20),
            () => $"{spool.TaskFiles().Length} task file(s) still in the spool", a, b);

        var events = WorkerLog.Read(log).ToList();
        Assert.All(events, e => Assert.True(e.Pid == a.Pid || e.Pid == b.Pid, $"unknown pid {e.Pid}"));
        var ends = events.Where(e => e.Event == "end").ToList();
        var starts = events.Where(e => e.Event == "start").ToList();
        var problems = new List<string>();
        for (int i = 0; i < Total; i++)
        {
            string id = Id(i);
            int endCount = ends.Count(e => e.Pairs.GetValueOrDefault("id") == id);
            int startCount = starts.Count(e => e.Pairs.GetValueOrDefault("id") == id);
            if (endCount != 1 || startCount != 1)
            {
                var who = events.Where(e => e.Pairs.GetValueOrDefault("id") == id).Select(e => $"{e.Event}@{e.Pid}");
                problems.Add($"{id}: {startCount} start(s), {endCount} end(s) [{string.Join(", ", who)}]");
            }
        }
        Assert.True(problems.Count == 0,
            $"every task must run exactly once across both processes; {problems.Count} did not:\n{string.Join('\n', problems.Take(30))}" + Diagnostics(a, b));
        Assert.Equal(Total, ends.Count);
        Assert.All(ends, e => Assert.Equal("ok", e.Result));
        Assert.False(a.Child.Process.HasExited, "worker A exited during the run" + Diagnostics(a, b));
        Assert.False(b.Child.Process.HasExited, "worker B exited during the run" + Diagnostics(a, b));

        int byA = ends.Count(e => e.Pid == a.Pid);
        int byB = ends.Count(e => e.Pid == b.Pid);
        Assert.Equal(Total, byA + byB);
        // Both processes doing work is likely but not required for exclusion to be correct: report, don't assert.
        TestContext.Current.TestOutputHelper?.WriteLine($"split: worker A (pid {a.Pid}, concurrency 1) ran {byA}, worker B (pid {b.Pid}, concurrency 3) ran {byB}");
    }

    [Fact]
    public async Task A_posix_record_lock_held_by_another_process_keeps_the_worker_off_the_file()
    {
        string python = FindPython();
        using var spool = new TempSpool("xproc-posix-lock");
        string log = spool.Combine("events.jsonl");
        var producer = new Spooler(spool.Path);
        var locked = producer.Enqueue(SpoolPacket.FromText([new("id", "locked")]));

        // uWSGI locks with fcntl(F_SETLKW, F_WRLCK) (Python: fcntl.lockf), a POSIX record lock owned by the process.
        string script = Path.Combine(Fixtures.RepositoryRoot, "tests/TypedSpool.IntegrationTests/Python/hold_posix_lock.py");
        using var holder = ChildProcess.Start(python, [script, locked.Path]);
        await WaitForLineStartingAsync(holder, "locked ", s_readyTimeout);

        using var worker = await WorkerProcess.StartAsync(spool.Path, log, "--frequency-ms", "1000");

        // A second task proves the worker is scanning this directory while the first one is locked.
        var control = producer.Enqueue(SpoolPacket.FromText([new("id", "control")]));
        await Wait.UntilAsync(() => WorkerLog.Read(log).Any(e => e.Event == "end" && e.File == control.FileName), TimeSpan.FromSeconds(15),
            () => "the unlocked control task never ran", worker, holder);

        // Several scans and lock re-checks (every 200 ms while fresh, every 1 s in full) happen in this window.
        await Task.Delay(TimeSpan.FromMilliseconds(1500), Token);
        var early = WorkerLog.Read(log).Where(e => e.File == locked.FileName).ToList();
        Assert.True(early.Count == 0,
            $"the worker ran a task whose file another process holds a POSIX lock on: {string.Join(", ", early.Select(e => e.Event))}" + Diagnostics(worker, holder));
        Assert.True(File.Exists(locked.Path), "the locked task file disappeared while locked");

        holder.Process.StandardInput.WriteLine("release");
        holder.Process.StandardInput.Flush();
        Assert.Equal(0, await holder.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        await Wait.UntilAsync(() => !File.Exists(locked.Path) && WorkerLog.Read(log).Any(e => e.Event == "end" && e.File == locked.FileName),
            TimeSpan.FromSeconds(15), () => "the task did not run after the POSIX lock was released", worker, holder);
        var runs = WorkerLog.Read(log).Where(e => e.File == locked.FileName).ToList();
        Assert.Equal(["start", "end"], runs.Select(e => e.Event));
        Assert.All(runs, e => Assert.Equal(worker.Pid, e.Pid));
    }

    [Fact]
    public async Task A_task_whose_worker_is_killed_mid_run_runs_again_in_another_process()
    {
        using var spool = new TempSpool("xproc-kill9");
        string log = spool.Combine("events.jsonl");
        var task = new Spooler(spool.Path).Enqueue(SpoolPacket.FromText([new("id", "slow"), new("sleep_ms", "3000")]));

        int pidA;
        using (var a = await WorkerProcess.StartAsync(spool.Path, log))
        {
            pidA = a.Pid;
            await Wait.UntilAsync(() => WorkerLog.Read(log).Any(e => e.Event == "start" && e.File == task.FileName && e.Pid == pidA),
                TimeSpan.FromSeconds(15), () => "worker A never started the task", a);
            a.Child.Kill(); // SIGKILL: no cleanup, the kernel drops the lock with the process.
            await a.Child.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.True(File.Exists(task.Path), "the task file of a killed run must stay in the spool (at-least-once)" + Diagnostics(a));
            Assert.DoesNotContain(WorkerLog.Read(log), e => e.Event == "end");
        }

        using var b = await WorkerProcess.StartAsync(spool.Path, log);
        await Wait.UntilAsync(() => !File.Exists(task.Path) && WorkerLog.Read(log).Any(e => e.Event == "end" && e.Pid == b.Pid),
            TimeSpan.FromSeconds(15), () => "worker B did not finish the task left by the killed worker", b);

        var events = WorkerLog.Read(log).Where(e => e.File == task.FileName).ToList();
        var starts = events.Where(e => e.Event == "start").ToList();
        Assert.Equal(2, starts.Count);
        Assert.Equal([pidA, b.Pid], starts.Select(e => e.Pid));
        Assert.NotEqual(pidA, b.Pid);
        var end = Assert.Single(events, e => e.Event == "end");
        Assert.Equal(b.Pid, end.Pid);
        Assert.Equal("ok", end.Result);
        Assert.Empty(spool.TaskFiles());
        TestContext.Current.TestOutputHelper?.WriteLine($"attempt numbers seen: A={starts[0].Attempt}, B={starts[1].Attempt} (a killed run is not counted)");
    }

    [Fact]
    public async Task A_failing_task_is_retried_across_scans_then_dead_lettered_with_a_note()
    {
        using var spool = new TempSpool("xproc-retry");
        string log = spool.Combine("events.jsonl");
        var task = new Spooler(spool.Path).Enqueue(SpoolPacket.FromText([new("id", "doomed"), new("result", "throw")]));
        string dead = spool.Combine("dead", task.FileName);
        string note = dead + ".reason.json";

        using var worker = await WorkerProcess.StartAsync(spool.Path, log, "--max-attempts", "3", "--initial-delay-ms", "100");
        await Wait.UntilAsync(() => File.Exists(dead) && File.Exists(note), TimeSpan.FromSeconds(15),
            () => $"the task was not dead-lettered; events: {string.Join(", ", WorkerLog.Read(log).Select(e => $"{e.Event}#{e.Attempt}"))}", worker);

        var events = WorkerLog.Read(log).Where(e => e.File == task.FileName).ToList();
        var starts = events.Where(e => e.Event == "start").ToList();
        Assert.Equal([1, 2, 3], starts.Select(e => e.Attempt));
        Assert.All(starts, e => Assert.Equal(worker.Pid, e.Pid));
        Assert.Equal(3, events.Count(e => e.Event == "end" && e.Result == "throw"));
        Assert.Empty(spool.TaskFiles());
        Assert.False(File.Exists(task.Path));

        using (var json = JsonDocument.Parse(File.ReadAllBytes(note)))
        {
            var root = json.RootElement;
            Assert.Equal("dead-letter", root.GetProperty("kind").GetString());
            Assert.Equal(3, root.GetProperty("attempt").GetInt32());
            Assert.Equal(task.Path, root.GetProperty("originalPath").GetString());
            Assert.Equal(typeof(InvalidOperationException).FullName, root.GetProperty("exceptionType").GetString());
            Assert.Contains("the task asked to fail", root.GetProperty("exception").GetString(), StringComparison.Ordinal);
            Assert.Contains("the task asked to fail", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Contains("attempt 3", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        // The dead file is the packet of the last attempt, still readable by uWSGI and the CLI.
        var packet = SpoolPacketCodec.Decode(File.ReadAllBytes(dead));
        Assert.Equal("doomed", packet.GetText("id"));
        Assert.Equal("throw", packet.GetText("result"));
        Assert.Equal("3", packet.GetText(SpoolKeys.Attempt));
    }

    [Fact]
    public async Task A_corrupt_task_file_is_quarantined_with_a_note_and_never_reaches_the_handler()
    {
        using var spool = new TempSpool("xproc-quarantine");
        string log = spool.Combine("events.jsonl");
        const string Name = "uwsgi_spoolfile_on_corrupt_1_1_1_1700000000_1";
        // Header announces a 100-byte key/value area; only 10 bytes follow.
        byte[] corrupt = [0x11, 100, 0, 0, 1, 0, (byte)'k', 1, 0, (byte)'v', 9, 9, 9, 9];
        string staging = spool.Combine(".staging-" + Name);
        File.WriteAllBytes(staging, corrupt);
        File.Move(staging, spool.Combine(Name)); // appears whole, never as a partial file

        using var worker = await WorkerProcess.StartAsync(spool.Path, log);
        string quarantined = spool.Combine("quarantine", Name);
        string note = quarantined + ".reason.json";
        await Wait.UntilAsync(() => File.Exists(quarantined) && File.Exists(note), TimeSpan.FromSeconds(15),
            () => "the corrupt file was not quarantined", worker);

        // The worker keeps going: a valid task after it runs.
        var control = new Spooler(spool.Path).Enqueue(SpoolPacket.FromText([new("id", "control")]));
        await Wait.UntilAsync(() => WorkerLog.Read(log).Any(e => e.Event == "end" && e.File == control.FileName), TimeSpan.FromSeconds(15),
            () => "a valid task after the corrupt one never ran", worker);

        Assert.False(File.Exists(spool.Combine(Name)));
        Assert.Empty(spool.TaskFiles());
        Assert.Equal(corrupt, File.ReadAllBytes(quarantined));
        Assert.DoesNotContain(WorkerLog.Read(log), e => e.File == Name);
        using var json = JsonDocument.Parse(File.ReadAllBytes(note));
        var root = json.RootElement;
        Assert.Equal("quarantine", root.GetProperty("kind").GetString());
        Assert.Contains(nameof(SpoolFormatError.AreaOverrunsFile), root.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, root.GetProperty("offset").GetInt64());
        Assert.Equal(spool.Combine(Name), root.GetProperty("originalPath").GetString());
    }

    private static string Id(int i) => "task-" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    private static string[] TemporaryFiles(string directory)
        => Directory.GetFiles(directory, ".typedspool-tmp.*", SearchOption.AllDirectories);

    private static string FindPython()
    {
        if (File.Exists("/usr/bin/python3"))
        {
            return "/usr/bin/python3";
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "python3");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        Assert.Skip("python3 is not installed; it is needed to hold a POSIX record lock as uWSGI does");
        throw new InvalidOperationException("unreachable");
    }

    private static async Task WaitForLineStartingAsync(ChildProcess child, string prefix, TimeSpan timeout)
    {
        await Wait.UntilAsync(() => child.StandardOutput.Split('\n').Any(l => l.StartsWith(prefix, StringComparison.Ordinal)), timeout,
            () => $"no line starting with '{prefix}' (exited: {child.Process.HasExited})", child);
    }

    internal static string Diagnostics(params object[] children)
    {
        var text = new StringBuilder();
        foreach (var child in children)
        {
            var process = child switch
            {
                WorkerProcess w => w.Child,
                ChildProcess c => c,
                _ => throw new ArgumentException("not a child process", nameof(children)),
            };
            int? pid = null;
            try
            {
                pid = process.Process.Id;
            }
            catch (InvalidOperationException)
            {
            }
            text.Append(FormattableString.Invariant(
                $"\n--- child pid {pid} (exited: {process.Process.HasExited}) stderr:\n{process.StandardError}--- stdout:\n{process.StandardOutput}"));
        }
        return text.ToString();
    }
}

internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until true; on timeout fails with the description and the children's output.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe, params object[] children)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s: {describe()}" + CrossProcessTests.Diagnostics(children));
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
