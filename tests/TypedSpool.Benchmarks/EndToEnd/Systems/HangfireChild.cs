using Hangfire;
using Hangfire.InMemory;
using Hangfire.States;
using Hangfire.Storage.SQLite;
using TypedSpool.Benchmarks.EndToEnd.Child;

namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>
/// Hangfire 1.8 with the settings its documentation recommends for new applications, a
/// <see cref="BackgroundJobServer"/> with its default worker count, and either Hangfire.Storage.SQLite (a file,
/// WAL journal: durable) or Hangfire.InMemory (not durable, one process only).
/// </summary>
internal sealed class HangfireChild : IChildSystem
{
    /// <summary>
    /// SQLite storage finds new jobs only by polling (15 s by default). 10 ms gives it a latency in the range the
    /// issue measured, at the price of idle polling, which shows in its CPU figure.
    /// </summary>
    public static readonly TimeSpan SqlitePollInterval = TimeSpan.FromMilliseconds(10);

    private readonly bool _sqlite;
    private JobStorage? _storage;

    public HangfireChild(bool sqlite)
    {
        _sqlite = sqlite;
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
    }

    public IBenchProducer OpenProducer(string store) => new Producer(new BackgroundJobClient(Storage(store)));

    public async Task<IAsyncDisposable> StartConsumerAsync(string store)
    {
        var server = new BackgroundJobServer(new BackgroundJobServerOptions { Queues = ["default"] }, Storage(store));
        // Let the workers reach their first fetch; the drain is timed from the first job, not from here.
        await Task.Delay(500);
        return new Consumer(server);
    }

    /// <summary>One storage per process: the in-memory one is shared by the producer and the server of that process.</summary>
    private JobStorage Storage(string store)
    {
        if (_storage is null)
        {
            Directory.CreateDirectory(store);
            _storage = _sqlite
                ? new SQLiteStorage(Path.Combine(store, "hangfire.db"), new SQLiteStorageOptions { QueuePollInterval = SqlitePollInterval })
                : new InMemoryStorage();
        }
        return _storage;
    }

    private sealed class Producer(BackgroundJobClient client) : IBenchProducer
    {
        public void WarmUp(int count)
        {
            // Into a queue no server here listens to.
            for (int i = 0; i < count; i++) client.Create(() => HangfireJobs.Append(-1, 0), new EnqueuedState("warmup"));
        }

        public void Enqueue(long id, long enqueuedNs) => client.Enqueue(() => HangfireJobs.Append(id, enqueuedNs));
    }

    private sealed class Consumer(BackgroundJobServer server) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            server.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
