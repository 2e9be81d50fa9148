using System.Collections.Concurrent;
using TypedSpool.Storage;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>
/// A real SpoolWorker in this process over a real directory, whose handler records what it ran: for scenarios about
/// what the worker decides (quarantine, skip, run), where a separate process adds nothing but start-up time.
/// </summary>
internal sealed class InProcessWorker
{
    public InProcessWorker(string directory, Func<SpoolWorkerOptions, SpoolWorkerOptions>? configure = null)
    {
        var options = new SpoolWorkerOptions { Directory = directory, Durability = SpoolDurability.None, WatchForChanges = false };
        Worker = new SpoolWorker(configure?.Invoke(options) ?? options, new DelegateSpoolTaskHandler((task, _) =>
        {
            Ran.Enqueue(task);
            return ValueTask.FromResult(SpoolResult.Ok);
        }));
    }

    public SpoolWorker Worker { get; }

    public ConcurrentQueue<SpoolTask> Ran { get; } = new();

    public Task<SpoolRunSummary> RunOnceAsync() => Worker.RunOnceAsync(TestContext.Current.CancellationToken);
}
