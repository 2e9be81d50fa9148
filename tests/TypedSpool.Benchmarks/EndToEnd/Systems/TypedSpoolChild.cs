using System.Globalization;
using TypedSpool.Benchmarks.EndToEnd.Child;
using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>
/// TypedSpool's raw API: a <see cref="Spooler"/> and a <see cref="SpoolWorker"/> with one delegate handler, the same
/// durability on both sides. The packet is what uwsgidecorators' @spool writes for bench_append(id=..., t_enq=...),
/// so the same bytes also feed the uWSGI handler.
/// </summary>
internal sealed class TypedSpoolChild(SpoolDurability durability) : IChildSystem
{
    public static SpoolPacket Packet(long id, long enqueuedNs) => SpoolPacket.FromText(
    [
        new("ud_spool_func", "bench_append"),
        new("ud_spool_ret", "-2"),
        new("id", id.ToString(CultureInfo.InvariantCulture)),
        new("t_enq", enqueuedNs.ToString(CultureInfo.InvariantCulture)),
    ]);

    public IBenchProducer OpenProducer(string store) => new Producer(
        new Spooler(store, new SpoolerSettings { Durability = durability }),
        new Spooler(store + "-warmup", new SpoolerSettings { Durability = durability }));

    public async Task<IAsyncDisposable> StartConsumerAsync(string store)
    {
        var options = new SpoolWorkerOptions
        {
            Directory = store,
            Durability = durability,
            Quiet = true,
            // Default frequency (30 s): new files must be found by inotify, not by the safety-net scan.
            WatchForChanges = true,
        };
        var worker = new SpoolWorker(options, new DelegateSpoolTaskHandler(static (task, _) =>
        {
            TaskRecorder.Record(
                long.Parse(task.Packet.GetText("id")!, CultureInfo.InvariantCulture),
                long.Parse(task.Packet.GetText("t_enq")!, CultureInfo.InvariantCulture));
            return ValueTask.FromResult(SpoolResult.Ok);
        }));
        var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        // Long enough for the first scan and the inotify watch; the drain is timed from the first task, not from here.
        await Task.Delay(200);
        if (run.IsFaulted) await run;
        return new Consumer(worker, stop, run);
    }

    private sealed class Producer(Spooler spooler, Spooler warmUp) : IBenchProducer
    {
        public void WarmUp(int count)
        {
            for (int i = 0; i < count; i++) warmUp.Enqueue(Packet(-1, 0));
        }

        public void Enqueue(long id, long enqueuedNs) => spooler.Enqueue(Packet(id, enqueuedNs));
    }

    private sealed class Consumer(SpoolWorker worker, CancellationTokenSource stop, Task run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            await worker.DisposeAsync();
            stop.Dispose();
        }
    }
}
