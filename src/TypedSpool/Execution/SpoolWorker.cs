using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TypedSpool.Diagnostics;
using TypedSpool.Execution;
using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>
/// Consumes one spool directory: finds due task files, locks each (the lease), runs the handler, and deletes,
/// reschedules, dead-letters or quarantines the file. Several workers, in this process or others (uWSGI
/// spoolers included), can share a directory: each file runs in one of them at a time, at least once.
/// </summary>
public sealed partial class SpoolWorker : IAsyncDisposable
{
    private static readonly TimeSpan s_staleTemporaryAge = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_freshLockedRecheck = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_freshWindow = TimeSpan.FromSeconds(5);

    private readonly SpoolWorkerOptions _options;
    private readonly ISpoolTaskHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _root;
    private readonly LogLevel _taskLogLevel;
    private readonly SemaphoreSlim _slots;
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<string, byte> _ignored = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly Func<string, bool> _isIgnored;
    private readonly FilePool? _pool;
    private int _disposed;

    /// <summary>Creates a worker; invalid options throw an <see cref="ArgumentException"/> naming the option.</summary>
    public SpoolWorker(SpoolWorkerOptions options, ISpoolTaskHandler handler, ILogger<SpoolWorker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _options = options;
        _handler = handler;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = options.TimeProvider;
        _root = options.ResolvedDirectory;
        _taskLogLevel = options.Quiet ? LogLevel.Debug : LogLevel.Information;
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        _isIgnored = _ignored.ContainsKey;
        _pool = options.RecycleFiles ? new FilePool(_root) : null;
    }

    /// <summary>Absolute path of the consumed directory.</summary>
    public string Directory => _root;

    /// <summary>
    /// Consumes until <paramref name="stoppingToken"/> fires: then it stops taking files and waits for running
    /// tasks to finish. New files are picked up within milliseconds; a full scan runs every
    /// <see cref="SpoolWorkerOptions.Frequency"/> as a safety net; a timer wakes it for the next <c>at</c>.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        NativeFile.EnsureDirectory(_root, _options.Durability == SpoolDurability.Full);
        using var inProcess = SpoolSignals.Listen(_root, _wake);
        var watch = StartWatch();
        // The scan interval runs on the monotonic clock: a wall clock set back by an hour must not suspend the
        // safety-net scan for an hour. Due times stay on the wall clock, as the mtime schedule is.
        long lastFullScan = 0;
        bool scannedOnce = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                bool periodic = !scannedOnce || _time.GetElapsedTime(lastFullScan) >= _options.Frequency;
                if (periodic)
                {
                    lastFullScan = _time.GetTimestamp();
                    scannedOnce = true;
                    if (watch is { IsLost: true })
                    {
                        watch.Dispose();
                        watch = RestartWatch();
                    }
                }
                var summary = await ScanAsync(periodic, waitForTasks: false, stoppingToken).ConfigureAwait(false);

                var now = _time.GetUtcNow();
                var wait = _options.Frequency - _time.GetElapsedTime(lastFullScan);
                if (summary.NextDue is { } due && due - now < wait)
                {
                    wait = due - now + TimeSpan.FromMilliseconds(1);
                }
                if (wait > TimeSpan.Zero)
                {
                    await _wake.WaitAsync(wait, _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            watch?.Dispose();
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One full pass: runs every task that is due now and waits for them. Useful in tests and for draining a
    /// spool from a script.
    /// </summary>
    public Task<SpoolRunSummary> RunOnceAsync(CancellationToken cancellationToken = default)
        => RunPassAsync(fullScan: true, cancellationToken);

    /// <summary>One pass; without <paramref name="fullScan"/>, files ignored or kept to run again earlier stay skipped.</summary>
    internal Task<SpoolRunSummary> RunPassAsync(bool fullScan, CancellationToken cancellationToken)
    {
        NativeFile.EnsureDirectory(_root, _options.Durability == SpoolDurability.Full);
        return ScanAsync(fullScan, waitForTasks: true, cancellationToken);
    }

    /// <summary>Cancels the token of running tasks (a task that stops on it is left in the spool) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _abort.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        SpoolTelemetry.ForgetQueue(_root);
        // _abort and _slots are not disposed: a pass that is still unwinding may touch them, and neither holds
        // an OS handle unless one is asked for.
    }

    private async Task<SpoolRunSummary> ScanAsync(bool periodic, bool waitForTasks, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (periodic)
        {
            // Ignored files get another chance at each full scan, as uWSGI retries them at each scan.
            _ignored.Clear();
            RemoveStaleFiles(now);
        }
        var tally = new Tally();
        var totals = new ScanTotals();
        List<Task>? started = null;
        foreach (var candidate in SpoolScanner.EnumerateDue(_root, _options.Ordered, now, _isIgnored, totals))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            try
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            SpoolClaim? claim;
            try
            {
                claim = SpoolClaim.TryClaim(candidate.Path, _time.GetUtcNow(), out var outcome);
                if (claim is null)
                {
                    _slots.Release();
                    if (outcome == ClaimOutcome.Locked && _time.GetUtcNow() - candidate.ModifiedAt < s_freshWindow)
                    {
                        // Most likely a uWSGI producer still writing under its lock: look again soon.
                        tally.NoteDue(_time.GetUtcNow() + s_freshLockedRecheck);
                    }
                    continue;
                }
            }
            catch (IOException ex)
            {
                _slots.Release();
                SpoolLog.StorageFailure(_logger, ex, candidate.Path);
                continue;
            }

            var run = _options.Concurrency == 1 ? ProcessAsync(claim, candidate.Priority, tally) : StartInParallel(claim, candidate.Priority, tally);
            if (!run.IsCompleted)
            {
                // Tracked, so that stopping and disposing wait for it (a run that finished at once needs no tracking).
                Track(run);
            }
            if (_options.Concurrency == 1)
            {
                await run.ConfigureAwait(false);
            }
            else if (waitForTasks)
            {
                // Only a pass that waits keeps its runs: the long-running loop must not hold one per task it ever ran.
                (started ??= []).Add(run);
            }
        }
        RecordQueue(totals, now);
        if (totals.NextDue is { } due)
        {
            tally.NoteDue(due);
        }
        if (waitForTasks && started is not null)
        {
            await Task.WhenAll(started).ConfigureAwait(false);
        }
        return tally.ToSummary();
    }

    private Task StartInParallel(SpoolClaim claim, int? priority, Tally tally)
        => Task.Run(() => ProcessAsync(claim, priority, tally), CancellationToken.None);

    private void Track(Task run)
    {
        _running.TryAdd(run, 0);
        _ = run.ContinueWith(static (t, running) => ((ConcurrentDictionary<Task, byte>)running!).TryRemove(t, out _), _running,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task ProcessAsync(SpoolClaim claim, int? priority, Tally tally)
    {
        try
        {
            using (claim)
            {
                await ProcessClaimedAsync(claim, priority, tally).ConfigureAwait(false);
            }
        }
        catch (IOException ex)
        {
            SpoolLog.StorageFailure(_logger, ex, claim.Path);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task ProcessClaimedAsync(SpoolClaim claim, int? priority, Tally tally)
    {
        var now = _time.GetUtcNow();
        if (claim.Status.Size > Array.MaxLength)
        {
            // Reading it would throw at every scan forever; set it aside once, without reading a byte.
            Quarantine(claim, now, $"the file is {claim.Status.Size} bytes, more than a task file can hold in memory ({Array.MaxLength} bytes)", null, tally);
            return;
        }
        byte[] content = claim.ReadAll();
        if (content.Length < SpoolPacketCodec.HeaderSize && now - claim.Status.ModifiedAt < _options.IncompleteFileGrace)
        {
            // uWSGI's writer creates the file, then locks and fills it: give it time, as uWSGI itself does. Its close
            // does not wake the worker (the watch ignores closes, or the worker's own would wake it), so look again soon.
            var grace = claim.Status.ModifiedAt + _options.IncompleteFileGrace;
            var soon = now + s_freshLockedRecheck;
            tally.NoteDue(soon < grace ? soon : grace);
            return;
        }

        SpoolPacket packet;
        try
        {
            packet = SpoolPacketCodec.Decode(content);
        }
        catch (SpoolFormatException ex)
        {
            Quarantine(claim, now, ex.Message, ex.Offset, tally);
            return;
        }

        int attempt = ParseAttempt(packet);
        var task = new SpoolTask(packet, claim.Path, attempt, priority, claim.Status.ModifiedAt);
        var tags = new TagList { { SpoolTelemetry.TaskTag, task.Name }, { SpoolTelemetry.SpoolTag, _root } };
        SpoolTelemetry.Started.Add(1, tags);
        SpoolTelemetry.Wait.Record(Math.Max(0, (now - claim.Status.ModifiedAt).TotalSeconds), tags);
        SpoolLog.Started(_logger, _taskLogLevel, task.Name, claim.Path, attempt);
        using var activity = StartConsumerActivity(task);

        SpoolResult result;
        Exception? failure = null;
        long started = Stopwatch.GetTimestamp();
        try
        {
            result = await RunHandlerAsync(task).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            SpoolLog.Abandoned(_logger, task.Name, claim.Path);
            Record(tags, started, "abandoned", activity);
            Interlocked.Increment(ref tally.Ignored);
            return;
        }
        catch (Exception ex)
        {
            failure = ex;
            result = SpoolResult.Retry;
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            if (ex is SpoolHarakiriException harakiri)
            {
                SpoolLog.Harakiri(_logger, task.Name, claim.Path, harakiri.Limit, harakiri.Abandoned);
            }
        }
        double elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        switch (result)
        {
            case SpoolResult.Ok:
                if (_pool is null || !_pool.TryPut(claim.Path, claim.Status))
                {
                    claim.Delete();
                }
                // Unlock at once: a producer may already be reusing the inode under a new name.
                claim.Dispose();
                SpoolLog.Succeeded(_logger, _taskLogLevel, task.Name, claim.Path, attempt, elapsedMs);
                SpoolTelemetry.Succeeded.Add(1, tags);
                Record(tags, started, "ok", activity);
                Interlocked.Increment(ref tally.Succeeded);
                break;
            case SpoolResult.Ignore:
                _ignored.TryAdd(claim.Path, 0);
                SpoolLog.Ignored(_logger, task.Name, claim.Path);
                Record(tags, started, "ignore", activity);
                Interlocked.Increment(ref tally.Ignored);
                break;
            case SpoolResult.RunAgain:
                RunAgain(claim, packet, task);
                SpoolLog.Succeeded(_logger, _taskLogLevel, task.Name, claim.Path, attempt, elapsedMs);
                SpoolTelemetry.Succeeded.Add(1, tags);
                Record(tags, started, "run_again", activity);
                Interlocked.Increment(ref tally.Succeeded);
                Interlocked.Increment(ref tally.RanAgain);
                break;
            case SpoolResult.Retry when failure is SpoolPayloadException:
                // The payload can never decode: retrying cannot help.
                DeadLetter(claim, task, failure, $"the payload cannot be decoded: {failure.Message}", elapsedMs, tally);
                Record(tags, started, "dead_letter", activity);
                break;
            default:
                // Retry, and any other value as in uWSGI.
                bool retried = RetryOrDeadLetter(claim, packet, task, failure, elapsedMs, tally);
                Record(tags, started, retried ? "retry" : "dead_letter", activity);
                break;
        }
    }

    private void Quarantine(SpoolClaim claim, DateTimeOffset now, string reason, long? offset, Tally tally)
    {
        var note = ReasonNote.Create("quarantine", reason, claim.Path, now, offset: offset);
        var target = claim.MoveTo(_options.ResolvedQuarantineDirectory, note, _options.Durability);
        SpoolLog.Quarantined(_logger, claim.Path, reason, target);
        SpoolTelemetry.Quarantined.Add(1, new KeyValuePair<string, object?>(SpoolTelemetry.SpoolTag, _root));
        Interlocked.Increment(ref tally.Quarantined);
    }

    private static int ParseAttempt(SpoolPacket packet)
    {
        string? text = packet.GetText(SpoolKeys.Attempt);
        return text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int attempt) && attempt >= 1
            ? attempt
            : 1;
    }

    /// <summary>At each full scan: temporary files of crashed producers, and pooled files unused for an hour.</summary>
    private void RemoveStaleFiles(DateTimeOffset now)
    {
        try
        {
            SpoolScanner.RemoveStaleTemporaryFiles(_root, now - s_staleTemporaryAge);
            foreach (var (directory, _) in SpoolScanner.ListPriorityDirectories(_root))
            {
                SpoolScanner.RemoveStaleTemporaryFiles(directory, now - s_staleTemporaryAge);
            }
            _pool?.Trim(now);
        }
        catch (IOException ex)
        {
            SpoolLog.StorageFailure(_logger, ex, _root);
        }
    }
}
