using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>
/// A spool for a user's tests: a temporary directory, a spooler that the generated stubs write to (for the current
/// async flow only, so tests can run in parallel), and a worker that runs the generated tasks when asked to
/// <see cref="DrainAsync"/>. With a fake <see cref="TimeProvider"/>, delays, <c>at</c> and retries follow that clock:
/// advance it and drain again, no sleeping.
/// </summary>
public sealed class InProcessSpool : IAsyncDisposable
{
    private readonly SpoolWorker _worker;
    private readonly bool _ownsDirectory;

    private InProcessSpool(string directory, bool ownsDirectory, TimeProvider time, IServiceProvider? services, RetryPolicy? retryPolicy)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Spooler = new Spooler(directory, new SpoolerSettings { Durability = SpoolDurability.None, TimeProvider = time });
        _worker = new SpoolWorker(new SpoolWorkerOptions
        {
            Directory = directory,
            Ordered = true,
            WatchForChanges = false,
            Durability = SpoolDurability.None,
            TimeProvider = time,
            RetryPolicy = retryPolicy ?? new RetryPolicy(),
        }, new SpoolDispatcher(services));
        Spooler.SetFlowDefault(Spooler);
    }

    /// <summary>Creates the spool (in a new temporary directory unless <paramref name="directory"/> is given) and makes it the stubs' default.</summary>
    public static InProcessSpool Create(TimeProvider? time = null, IServiceProvider? services = null, string? directory = null, RetryPolicy? retryPolicy = null)
    {
        bool owns = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "typedspool-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new InProcessSpool(directory, owns, time ?? TimeProvider.System, services, retryPolicy);
    }

    /// <summary>The spool directory.</summary>
    public string Directory { get; }

    /// <summary>The spooler the stubs write to.</summary>
    public Spooler Spooler { get; }

    /// <summary>Task files still in the spool (not yet due, retrying, or ignored), priority directories included.</summary>
    public IReadOnlyList<string> PendingFiles => System.IO.Directory.Exists(Directory)
        ? [.. System.IO.Directory.EnumerateFiles(Directory, SpoolFileName.Prefix + "*", SearchOption.TopDirectoryOnly)
            .Concat(System.IO.Directory.EnumerateDirectories(Directory).Where(d => SpoolFileName.IsDigits(Path.GetFileName(d)))
                .SelectMany(d => System.IO.Directory.EnumerateFiles(d, SpoolFileName.Prefix + "*")))]
        : [];

    /// <summary>Runs every task that is due, and the tasks those enqueue, until a pass finds nothing more to run now.</summary>
    public async Task<SpoolRunSummary> DrainAsync(CancellationToken cancellationToken = default)
    {
        var total = new SpoolRunSummary();
        for (int pass = 0; pass < 1000; pass++)
        {
            // Only the first pass is a full scan: a RunAgain task runs once per drain, an ignored file is not retried.
            var summary = await _worker.RunPassAsync(fullScan: pass == 0, cancellationToken).ConfigureAwait(false);
            int progressed = summary.Succeeded + summary.DeadLettered + summary.Quarantined;
            total = new SpoolRunSummary
            {
                Succeeded = total.Succeeded + summary.Succeeded,
                RanAgain = total.RanAgain + summary.RanAgain,
                Retried = total.Retried + summary.Retried,
                DeadLettered = total.DeadLettered + summary.DeadLettered,
                Quarantined = total.Quarantined + summary.Quarantined,
                Ignored = total.Ignored + summary.Ignored,
                NextDue = summary.NextDue,
            };
            if (progressed == 0)
            {
                return total; // idle: what is left waits for the clock (at, retries) or is ignored
            }
        }
        throw new InvalidOperationException("The spool did not become idle after 1000 passes: a task keeps enqueueing work that is due at once.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync().ConfigureAwait(false);
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary directory is harmless.
            }
        }
    }
}
