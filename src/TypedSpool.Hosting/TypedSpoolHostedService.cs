using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSpool.Scheduling;

namespace TypedSpool.Hosting;

/// <summary>
/// Sets <see cref="Spooler.Default"/> for the generated stubs and runs one worker per consumed spool. On shutdown it
/// stops taking files and lets running tasks finish within the host's shutdown timeout; a task still running then
/// is cancelled and its file stays in the spool, to run again.
/// </summary>
internal sealed class TypedSpoolHostedService(
    IOptions<TypedSpoolHostOptions> options,
    Spooler spooler,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly List<SpoolWorker> _workers = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Spooler.Default = spooler;
        var settings = options.Value;
        // A listener that cannot bind (address in use, no permission) stops the host at start.
        await Task.WhenAll(StartListeners(settings)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!settings.RunWorkers)
        {
            return;
        }
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = loggers.CreateLogger<SpoolWorker>();
        foreach (var (name, spool) in settings.Spoolers)
        {
            if (!spool.Consume) continue;
            ISpoolTaskHandler handler = new ScopedSpoolDispatcher(services.GetRequiredService<IServiceScopeFactory>());
            if (spool.MaxTasks > 0)
            {
                handler = new MaxTasksHandler(handler, spool.MaxTasks, name, lifetime, logger);
            }
            var worker = new SpoolWorker(ToWorkerOptions(spool, time), handler, logger);
            _workers.Add(worker);
            _running.Add(Task.Run(() => worker.RunAsync(_stopping.Token), CancellationToken.None));
        }

        // [Timer] and [Cron] tasks fire into the default spool; every worker process schedules, and the ledger makes
        // each slot fire once among them.
        var scheduled = Schedules.FromRegistry();
        if (scheduled.Count > 0)
        {
            var scheduler = new SpoolScheduler(spooler, null, scheduled, time, loggers.CreateLogger<SpoolScheduler>());
            _running.Add(Task.Run(() => scheduler.RunAsync(_stopping.Token), CancellationToken.None));
        }
    }

    private List<Task<System.Net.EndPoint>> StartListeners(TypedSpoolHostOptions settings)
    {
        var bound = new List<Task<System.Net.EndPoint>>();
        var logger = loggers.CreateLogger<Network.SpoolListener>();
        foreach (var config in settings.Listeners)
        {
            // A listener writes with a spooler whose default is the configured target; packets may still name another.
            var target = spooler.ResolveTarget(config.Spooler);
            var targets = spooler.Targets.OrderBy(t => t.Name == target.Name ? 0 : 1);
            var listenerSpooler = new Spooler(targets, new SpoolerSettings { TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System });
            var listener = new Network.SpoolListener(TypedSpoolHostOptionsValidator.ToListenerOptions(config), listenerSpooler, logger);
            _running.Add(Task.Run(() => listener.RunAsync(_stopping.Token), CancellationToken.None));
            bound.Add(listener.Bound);
        }
        return bound;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll(_running);
        // Graceful first: running tasks finish unless the host's shutdown timeout runs out.
        await Task.WhenAny(all, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false); // cancels what is still running; its file stays
        }
        await all.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
        if (ReferenceEquals(Spooler.Default, spooler))
        {
            Spooler.Default = null;
        }
    }

    internal static SpoolWorkerOptions ToWorkerOptions(SpoolDirectoryOptions spool, TimeProvider time) => new()
    {
        Directory = spool.Directory!,
        Concurrency = spool.Processes,
        Frequency = spool.Frequency,
        Ordered = spool.Ordered,
        Harakiri = spool.Harakiri,
        Quiet = spool.Quiet,
        RetryPolicy = new RetryPolicy
        {
            MaxAttempts = spool.MaxAttempts,
            InitialDelay = spool.RetryDelay,
            MaxDelay = spool.MaxRetryDelay,
            Jitter = spool.RetryJitter,
        },
        DeadLetterDirectory = spool.DeadLetterDirectory,
        QuarantineDirectory = spool.QuarantineDirectory,
        Durability = spool.Durability,
        RecycleFiles = spool.RecycleFiles,
        TimeProvider = time,
    };
}
