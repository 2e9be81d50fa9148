using System.Diagnostics;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Storage;

/// <summary>
/// The inotify watch that wakes a worker: names arriving wake it; the worker's own claims and unlinks, temporary
/// names and writes do not; priority directories created later are watched; a removed spool is reported.
/// </summary>
[Collection(nameof(DirectoryWatchTests))]
public class DirectoryWatchTests
{
    private const string TaskName = "uwsgi_spoolfile_on_test_1_1_1_1_1";
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public void A_task_file_renamed_into_the_spool_wakes_it()
    {
        using var spool = new TempSpool();
        using var probe = new WakeProbe();
        using var watch = probe.Watch(spool.Path, priorityDirectories: false);

        File.WriteAllText(spool.Combine(".typedspool-tmp.x"), "x");
        File.Move(spool.Combine(".typedspool-tmp.x"), spool.Combine(TaskName));

        Assert.True(probe.WaitForWake(), "no wake-up within 10 s of the rename");
    }

    [Fact]
    public void A_spool_reached_through_a_symlink_is_watched()
    {
        using var spool = new TempSpool();
        Directory.CreateDirectory(spool.Combine("real"));
        Directory.CreateSymbolicLink(spool.Combine("link"), spool.Combine("real"));
        using var probe = new WakeProbe();
        using var watch = probe.Watch(spool.Combine("link"), priorityDirectories: false);

        File.WriteAllText(spool.Combine("real", ".tmp"), "x");
        File.Move(spool.Combine("real", ".tmp"), spool.Combine("real", TaskName));

        Assert.True(probe.WaitForWake(), "no wake-up within 10 s of the rename");
    }

    [Fact]
    public void A_task_file_created_in_place_as_uwsgi_writes_it_wakes_it()
    {
        using var spool = new TempSpool();
        using var probe = new WakeProbe();
        using var watch = probe.Watch(spool.Path, priorityDirectories: false);

        using (File.Create(spool.Combine(TaskName)))
        {
            Assert.True(probe.WaitForWake(), "no wake-up within 10 s of the create");
        }
    }

    [Fact]
    public void The_workers_own_claim_write_close_and_unlink_and_temporary_names_do_not_wake_it()
    {
        using var spool = new TempSpool();
        File.WriteAllText(spool.Combine(TaskName), "task");
        using var probe = new WakeProbe();
        using var watch = probe.Watch(spool.Path, priorityDirectories: false);

        // What a worker does to a file it runs: open for writing, lock, read, rewrite the times, unlink, close.
        var claim = SpoolClaim.TryClaim(spool.Combine(TaskName), DateTimeOffset.UtcNow.AddMinutes(1), out var outcome);
        Assert.Equal(ClaimOutcome.Claimed, outcome);
        using (claim)
        {
            claim!.ReadAll();
            File.AppendAllText(spool.Combine(TaskName), "more");
            claim.Delete();
        }
        File.WriteAllText(spool.Combine(".typedspool-tmp.other"), "temp");
        File.Delete(spool.Combine(".typedspool-tmp.other"));
        Thread.Sleep(s_quiet);
        Assert.Equal(0, probe.Wakes);

        // The watch is alive: a real arrival still wakes it.
        File.WriteAllText(spool.Combine(".typedspool-tmp.y"), "y");
        File.Move(spool.Combine(".typedspool-tmp.y"), spool.Combine(TaskName + "2"));
        Assert.True(probe.WaitForWake(), "no wake-up within 10 s of the rename");
    }

    [Fact]
    public void In_ordered_mode_a_priority_directory_created_later_is_watched()
    {
        using var spool = new TempSpool();
        Directory.CreateDirectory(spool.Combine("5"));
        using var probe = new WakeProbe();
        using var watch = probe.Watch(spool.Path, priorityDirectories: true);

        Directory.CreateDirectory(spool.Combine("12"));
        Assert.True(probe.WaitForWake(), "no wake-up within 10 s of the new priority directory");
        probe.Reset();
        File.WriteAllText(spool.Combine("12", ".tmp"), "x");
        File.Move(spool.Combine("12", ".tmp"), spool.Combine("12", TaskName));
        Assert.True(probe.WaitForWake(), "no wake-up within 10 s of a file in the new priority directory");
        probe.Reset();
        File.WriteAllText(spool.Combine("5", ".tmp"), "x");
        File.Move(spool.Combine("5", ".tmp"), spool.Combine("5", TaskName));
        Assert.True(probe.WaitForWake(), "no wake-up within 10 s of a file in an existing priority directory");
    }

    [Fact]
    public void A_non_numeric_subdirectory_is_not_watched()
    {
        using var spool = new TempSpool();
        using var probe = new WakeProbe();
        using var watch = probe.Watch(spool.Path, priorityDirectories: true);

        Directory.CreateDirectory(spool.Combine("dead"));
        File.WriteAllText(spool.Combine("dead", ".tmp"), "x");
        File.Move(spool.Combine("dead", ".tmp"), spool.Combine("dead", TaskName));
        Thread.Sleep(s_quiet);

        Assert.Equal(0, probe.Wakes);
    }

    [Fact]
    public void A_removed_spool_directory_is_reported_as_a_failure()
    {
        using var spool = new TempSpool();
        string directory = spool.Combine("inner");
        Directory.CreateDirectory(directory);
        using var probe = new WakeProbe();
        using var watch = probe.Watch(directory, priorityDirectories: false);

        Directory.Delete(directory);

        Assert.True(probe.WaitForFailure(), "no failure reported within 10 s of removing the directory");
        Assert.Contains("was removed, moved or unmounted", probe.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_fails_to_start_with_its_name()
    {
        using var spool = new TempSpool();
        using var probe = new WakeProbe();

        var ex = Assert.Throws<IOException>(() => probe.Watch(spool.Combine("missing"), priorityDirectories: false));

        Assert.Contains(spool.Combine("missing"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_stops_the_thread_and_closes_both_descriptors()
    {
        using var spool = new TempSpool();
        int before = WatchDescriptors();
        using var probe = new WakeProbe();
        var watch = probe.Watch(spool.Path, priorityDirectories: false);
        Assert.Equal(before + 2, WatchDescriptors());

        var stopwatch = Stopwatch.StartNew();
        watch.Dispose();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Dispose took {stopwatch.Elapsed}");
        Assert.Equal(before, WatchDescriptors());
    }

    /// <summary>This process's inotify instances and eventfds (the class runs alone, so no other test adds any meanwhile).</summary>
    private static int WatchDescriptors() => new DirectoryInfo("/proc/self/fd").GetFiles()
        .Count(fd => fd.LinkTarget is "anon_inode:inotify" or "anon_inode:[eventfd]");

    /// <summary>Counts the watch's callbacks and lets a test wait for one.</summary>
    private sealed class WakeProbe : IDisposable
    {
        private readonly ManualResetEventSlim _woken = new();
        private readonly ManualResetEventSlim _failed = new();
        private int _wakes;

        public int Wakes => Volatile.Read(ref _wakes);

        public IOException? Failure { get; private set; }

        public DirectoryWatch Watch(string directory, bool priorityDirectories) =>
            DirectoryWatch.Start(directory, priorityDirectories, () => { Interlocked.Increment(ref _wakes); _woken.Set(); },
                ex => { Failure = ex; _failed.Set(); });

        public bool WaitForWake() => _woken.Wait(TimeSpan.FromSeconds(10));

        public bool WaitForFailure() => _failed.Wait(TimeSpan.FromSeconds(10));

        public void Reset()
        {
            _woken.Reset();
            Volatile.Write(ref _wakes, 0);
        }

        public void Dispose()
        {
            _woken.Dispose();
            _failed.Dispose();
        }
    }
}

/// <summary>Runs <see cref="DirectoryWatchTests"/> alone: one test counts the process's inotify descriptors.</summary>
[CollectionDefinition(nameof(DirectoryWatchTests), DisableParallelization = true)]
public sealed class DirectoryWatchCollection;
