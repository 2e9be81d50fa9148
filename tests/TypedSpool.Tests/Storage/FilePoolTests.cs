using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;
using TypedSpool.Tests.Execution;
using static TypedSpool.Tests.Execution.WorkerTestKit;

namespace TypedSpool.Tests.Storage;

/// <summary>
/// Inode recycling: a worker moves a finished small file into .typedspool-free/ instead of unlinking it, and a
/// producer overwrites it as its next task file. Every case that must not recycle unlinks or creates instead.
/// </summary>
public class FilePoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_finished_file_goes_to_the_pool_and_the_next_enqueue_overwrites_it_to_the_exact_new_length()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        var first = spooler.Enqueue(Packet(("id", "first"), ("padding", new string('x', 500))));
        ulong inode = Inode(first.Path);
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Durability = SpoolDurability.None }, new RecordingHandler());

        Assert.Equal(1, (await worker.RunOnceAsync(Ct)).Succeeded);
        Assert.Empty(spool.TaskFiles());
        string pooled = Assert.Single(Directory.GetFiles(spool.Combine(SpoolLayout.Recycled)));
        Assert.Equal(inode, Inode(pooled));

        // A producer that found the pool empty leaves it alone for its next 16 enqueues; a new one looks at once.
        var packet = Packet(("id", "second"));
        var second = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None }).Enqueue(packet);

        Assert.Equal(inode, Inode(second.Path));
        Assert.Empty(Directory.GetFiles(spool.Combine(SpoolLayout.Recycled)));
        Assert.Equal(SpoolPacketCodec.EncodeFile(packet), File.ReadAllBytes(second.Path));
        Assert.Empty(Directory.GetFiles(spool.Path, DurableFile.TemporaryPrefix + "*"));
        var handler = new RecordingHandler();
        await using var again = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Durability = SpoolDurability.None }, handler);
        await again.RunOnceAsync(Ct);
        Assert.Equal(["second"], handler.Values("id"));
    }

    [Fact]
    public async Task A_recycled_file_in_a_priority_directory_with_at_gets_the_new_schedule()
    {
        using var spool = new TempSpool();
        new Spooler(spool.Path).Enqueue(Packet(("id", "first")));
        await using (var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, new RecordingHandler()))
        {
            await worker.RunOnceAsync(Ct);
        }
        var at = DateTimeOffset.UtcNow.AddHours(3);

        var task = new Spooler(spool.Path).Enqueue(Packet(("id", "later")), new SpoolOptions { Priority = 4, At = at });

        Assert.Empty(Directory.GetFiles(spool.Combine(SpoolLayout.Recycled)));
        Assert.Equal(spool.Combine("4"), Path.GetDirectoryName(task.Path));
        Assert.Equal(at.ToUnixTimeSeconds(), new DateTimeOffset(File.GetLastWriteTimeUtc(task.Path)).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Large_files_and_files_with_other_links_are_unlinked_not_pooled()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        var large = spooler.Enqueue(Packet(("id", "large")).WithBody(new byte[5000]));
        var linked = spooler.Enqueue(Packet(("id", "linked")));
        string otherName = spool.Combine("kept-elsewhere");
        Run("ln", linked.Path, otherName);
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Durability = SpoolDurability.None }, new RecordingHandler());

        Assert.Equal(2, (await worker.RunOnceAsync(Ct)).Succeeded);

        Assert.False(Directory.Exists(spool.Combine(SpoolLayout.Recycled)) && Directory.GetFiles(spool.Combine(SpoolLayout.Recycled)).Length > 0);
        Assert.False(File.Exists(large.Path));
        Assert.Equal("linked", SpoolPacketCodec.Decode(File.ReadAllBytes(otherName)).GetText("id"));
    }

    [Fact]
    public async Task When_the_pool_directory_cannot_be_made_the_worker_unlinks_the_finished_file()
    {
        using var spool = new TempSpool();
        File.WriteAllText(spool.Combine(SpoolLayout.Recycled), "a file where the pool directory would go");
        var task = new Spooler(spool.Path).Enqueue(Packet(("id", "a")));
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, new RecordingHandler());

        Assert.Equal(1, (await worker.RunOnceAsync(Ct)).Succeeded);

        Assert.False(File.Exists(task.Path));
        Assert.Empty(spool.TaskFiles());
    }

    [Fact]
    public async Task With_recycling_off_the_worker_unlinks_and_the_producer_creates()
    {
        using var spool = new TempSpool();
        var off = new Spooler(spool.Path, new SpoolerSettings { RecycleFiles = false });
        off.Enqueue(Packet(("id", "a")));
        await using (var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, RecycleFiles = false }, new RecordingHandler()))
        {
            await worker.RunOnceAsync(Ct);
        }
        Assert.False(Directory.Exists(spool.Combine(SpoolLayout.Recycled)));

        // A pooled file left by a recycling worker is not taken by a producer that does not recycle.
        new Spooler(spool.Path).Enqueue(Packet(("id", "b")));
        await using (var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, new RecordingHandler()))
        {
            await worker.RunOnceAsync(Ct);
        }
        string pooled = Assert.Single(Directory.GetFiles(spool.Combine(SpoolLayout.Recycled)));
        var created = off.Enqueue(Packet(("id", "c")));
        Assert.NotEqual(Inode(pooled), Inode(created.Path));
        Assert.True(File.Exists(pooled));
    }

    [Fact]
    public async Task A_producer_that_found_the_pool_empty_looks_again_after_16_enqueues()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        spooler.Enqueue(Packet(("id", "0")));
        await using (var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Durability = SpoolDurability.None }, new RecordingHandler()))
        {
            await worker.RunOnceAsync(Ct);
        }
        string recycled = spool.Combine(SpoolLayout.Recycled);

        for (int i = 1; i <= 16; i++) spooler.Enqueue(Packet(("id", $"{i}")));
        Assert.Single(Directory.GetFiles(recycled));
        spooler.Enqueue(Packet(("id", "17")));
        Assert.Empty(Directory.GetFiles(recycled));
    }

    [Fact]
    public void The_pool_refuses_files_beyond_its_capacity()
    {
        using var spool = new TempSpool();
        var pool = new FilePool(spool.Path, capacity: 2);

        bool[] put = [.. Enumerable.Range(0, 3).Select(i => PutNewFile(spool, pool, $"uwsgi_spoolfile_on_h_1_{i}_1_1_1"))];

        Assert.Equal([true, true, false], put);
        Assert.Equal(2, Directory.GetFiles(pool.Directory).Length);
        Assert.True(File.Exists(spool.Combine("uwsgi_spoolfile_on_h_1_2_1_1_1")));
    }

    [Fact]
    public void Two_producers_racing_for_one_pooled_file_get_it_once()
    {
        using var spool = new TempSpool();
        var workerSide = new FilePool(spool.Path);
        Assert.True(PutNewFile(spool, workerSide, "uwsgi_spoolfile_on_h_1_1_1_1_1"));
        // Two producer processes: each lists the pool and sees the same file.
        var a = new FilePool(spool.Path);
        var b = new FilePool(spool.Path);
        string tempA = spool.Combine(DurableFile.TemporaryPrefix + "a");
        string tempB = spool.Combine(DurableFile.TemporaryPrefix + "b");

        Assert.True(a.TryTake(tempA));
        Assert.False(b.TryTake(tempB));

        Assert.True(File.Exists(tempA));
        Assert.False(File.Exists(tempB));
    }

    [Fact]
    public void A_pooled_entry_that_is_not_a_regular_file_is_dropped_and_the_enqueue_creates_a_file()
    {
        using var spool = new TempSpool();
        Directory.CreateDirectory(spool.Combine(SpoolLayout.Recycled));
        string target = spool.Combine("elsewhere");
        File.WriteAllText(target, "must not be overwritten");
        File.CreateSymbolicLink(spool.Combine(SpoolLayout.Recycled, "link"), target);
        Run("mkfifo", spool.Combine(SpoolLayout.Recycled, "fifo"));
        // A pooled file that is also a live task (a repaired file system after a power loss): never overwritten.
        string live = spool.Combine("uwsgi_spoolfile_on_h_9_9_9_9_9");
        File.WriteAllText(live, "a pending task");
        Run("ln", live, spool.Combine(SpoolLayout.Recycled, "alias"));

        // Each enqueue takes one entry, finds it unusable, drops it and creates a file.
        var first = new Spooler(spool.Path).Enqueue(Packet(("id", "1")));
        var second = new Spooler(spool.Path).Enqueue(Packet(("id", "2")));
        var third = new Spooler(spool.Path).Enqueue(Packet(("id", "3")));

        Assert.Equal("must not be overwritten", File.ReadAllText(target));
        Assert.Equal("a pending task", File.ReadAllText(live));
        Assert.Equal("1", SpoolPacketCodec.Decode(File.ReadAllBytes(first.Path)).GetText("id"));
        Assert.Equal("2", SpoolPacketCodec.Decode(File.ReadAllBytes(second.Path)).GetText("id"));
        Assert.Equal("3", SpoolPacketCodec.Decode(File.ReadAllBytes(third.Path)).GetText("id"));
        Assert.Empty(Directory.GetFileSystemEntries(spool.Combine(SpoolLayout.Recycled)));
        Assert.Empty(Directory.GetFiles(spool.Path, DurableFile.TemporaryPrefix + "*"));
    }

    [Fact]
    public void Trim_removes_files_idle_for_more_than_an_hour_only()
    {
        using var spool = new TempSpool();
        var pool = new FilePool(spool.Path);
        Assert.True(PutNewFile(spool, pool, "uwsgi_spoolfile_on_h_1_1_1_1_1"));

        pool.Trim(DateTimeOffset.UtcNow);
        Assert.Single(Directory.GetFiles(pool.Directory));

        pool.Trim(DateTimeOffset.UtcNow + FilePool.MaxIdle + TimeSpan.FromMinutes(1));
        Assert.Empty(Directory.GetFiles(pool.Directory));
    }

    private static bool PutNewFile(TempSpool spool, FilePool pool, string name)
    {
        string path = spool.Combine(name);
        File.WriteAllBytes(path, [17, 0, 0, 0]);
        return pool.TryPut(path, NativeFile.TryStat(path)!.Value);
    }

    private static ulong Inode(string path) => NativeFile.TryStat(path)!.Value.Inode;

    private static void Run(string tool, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(tool, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
