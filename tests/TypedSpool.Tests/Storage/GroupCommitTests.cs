using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Storage;

/// <summary>Group commit: concurrent durable enqueues share syncs, and each still gets its own outcome.</summary>
public class GroupCommitTests
{
    [Fact]
    public void Concurrent_durable_enqueues_share_flushes_and_every_task_is_written_whole()
    {
        using var spool = new TempSpool("group-commit");
        var commit = new GroupCommit(spool.Path);
        const int Threads = 8, PerThread = 60;
        var written = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                string name = $"uwsgi_spoolfile_on_h_{t}_{i}_1_1_1";
                byte[] bytes = SpoolPacketCodec.EncodeFile(SpoolPacket.FromText([new("ud_spool_func", "t"), new("id", $"{t}-{i}")]));
                Assert.True(DurableFile.Write(spool.Path, name, [bytes], null, SpoolDurability.Full, replace: false, commit));
                written.Add(name);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(Threads * PerThread, written.Count);
        foreach (string name in written)
        {
            var packet = SpoolPacketCodec.Decode(File.ReadAllBytes(spool.Combine(name)));
            Assert.Equal($"{name.Split('_')[4]}-{name.Split('_')[5]}", packet.GetText("id"));
        }
        Assert.Empty(Directory.GetFiles(spool.Path, DurableFile.TemporaryPrefix + "*"));
        // Eight writers fsyncing at once cannot all have flushed alone.
        Assert.True(commit.Flushes < Threads * PerThread, $"{commit.Flushes} flushes for {Threads * PerThread} writes: nothing was grouped");
        TestContext.Current.SendDiagnosticMessage($"group commit: {Threads * PerThread} writes in {commit.Flushes} flushes");
    }

    [Fact]
    public void A_taken_name_returns_false_and_leaves_no_temporary_file()
    {
        using var spool = new TempSpool("group-commit-taken");
        var commit = new GroupCommit(spool.Path);
        File.WriteAllText(spool.Combine("uwsgi_spoolfile_on_h_1_1_1_1_1"), "first");
        Assert.False(DurableFile.Write(spool.Path, "uwsgi_spoolfile_on_h_1_1_1_1_1", [new byte[] { 1, 2, 3, 4 }], null, SpoolDurability.Full, replace: false, commit));
        Assert.Equal("first", File.ReadAllText(spool.Combine("uwsgi_spoolfile_on_h_1_1_1_1_1")));
        Assert.Single(Directory.GetFileSystemEntries(spool.Path));
    }

    [Fact]
    public async Task A_failed_item_fails_only_its_writer_and_a_failed_flush_fails_the_whole_batch()
    {
        var token = TestContext.Current.CancellationToken;
        using var release = new ManualResetEventSlim();
        using var firstFlushStarted = new ManualResetEventSlim();
        int flushes = 0;
        var batcher = new SyncBatcher<int>((items, errors) =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstFlushStarted.Set();
                release.Wait(token); // hold the first flush so that the others queue up behind it
                return;
            }
            for (int i = 0; i < items.Count; i++)
            {
                if (items[i] == 13) errors[i] = new IOException("item 13 failed");
            }
            if (items.Contains(99)) throw new IOException("the whole flush failed");
        });

        var leader = Task.Run(() => batcher.Sync(0), token);
        Assert.True(firstFlushStarted.Wait(TimeSpan.FromSeconds(10), token));
        var followers = new[] { 12, 13, 14 }.Select(i => Task.Run(() => batcher.Sync(i), token)).ToArray();
        await Task.Delay(200, token);
        release.Set();
        await leader;
        await followers[0];
        await followers[2];
        var failed = await Assert.ThrowsAsync<IOException>(() => followers[1]);
        Assert.Equal("item 13 failed", failed.Message);

        var whole = Assert.Throws<IOException>(() => batcher.Sync(99));
        Assert.Equal("the whole flush failed", whole.Message);
        batcher.Sync(1); // the batcher keeps working after a failed flush
    }
}
