using System.Globalization;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// Out of inodes, a recycling worker frees none (it keeps finished files for reuse), so the producer must take them
/// from the pool, even while its back-off after an empty pool would have it skip the pool.
/// </summary>
public sealed class FullDiskPoolTests
{
    private const int Enospc = 28;

    [Fact]
    public async Task With_no_inode_left_an_enqueue_reuses_a_pooled_file()
    {
        await using var disk = await Tmpfs.MountAsync("size=64m,nr_inodes=40");
        string spoolPath = disk.Combine("spool");
        Directory.CreateDirectory(Path.Combine(spoolPath, SpoolLayout.Recycled)); // made while there is room
        var spooler = new Spooler(spoolPath, new SpoolerSettings { Durability = SpoolDurability.None });
        var random = new Random(11);
        int enqueued = 0;
        IOException? full = null;
        for (int i = 0; i < 100 && full is null; i++)
        {
            try
            {
                spooler.Enqueue(FaultTask.Create("fill-" + i.ToString(CultureInfo.InvariantCulture), 100, random));
                enqueued++;
            }
            catch (IOException ex)
            {
                full = ex;
            }
        }
        Assert.True(full is not null && full.HResult == Enospc, $"expected ENOSPC, got {full}");

        var worker = new InProcessWorker(spoolPath);
        var summary = await worker.RunOnceAsync();
        Assert.Equal(enqueued, summary.Succeeded);
        string[] pooled = Directory.GetFiles(Path.Combine(spoolPath, SpoolLayout.Recycled));
        Assert.Equal(enqueued, pooled.Length); // no inode came back

        var task = spooler.Enqueue(FaultTask.Create("after", 100, random));

        Assert.Contains(task.Path, Directory.GetFiles(spoolPath));
        Assert.Equal(enqueued - 1, Directory.GetFiles(Path.Combine(spoolPath, SpoolLayout.Recycled)).Length);
        Assert.Empty(Directory.GetFiles(spoolPath, ".typedspool-tmp.*"));
        var after = new InProcessWorker(spoolPath);
        Assert.Equal(1, (await after.RunOnceAsync()).Succeeded);
        Assert.True(FaultTask.IsWhole(Assert.Single(after.Ran).Packet));
    }
}
