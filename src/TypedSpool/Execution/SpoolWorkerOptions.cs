using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>Settings of a <see cref="SpoolWorker"/>; names and defaults follow uWSGI's <c>--spooler-*</c> options where they exist.</summary>
public sealed class SpoolWorkerOptions
{
    /// <summary>The spool directory to consume (uWSGI <c>--spooler</c>). Created if missing.</summary>
    public required string Directory { get; init; }

    /// <summary>Numeric priority subdirectories first, in numeric order, then top-level files (uWSGI <c>--spooler-ordered</c>). Without it, priority directories are not consumed, as in uWSGI.</summary>
    public bool Ordered { get; init; }

    /// <summary>Interval of the full safety-net scan (uWSGI <c>--spooler-frequency</c>, default 30 s). New files are normally picked up within milliseconds by file-system notifications.</summary>
    public TimeSpan Frequency { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tasks run at once by this worker. Default 1.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// Per-task time limit (uWSGI <c>--spooler-harakiri</c>); null for none. At the limit the task's token fires and
    /// the run counts as a failure; a task that ignores its token is abandoned after <see cref="HarakiriGrace"/>.
    /// </summary>
    public TimeSpan? Harakiri { get; init; }

    /// <summary>How long a task may take to stop after its harakiri token fired before it is abandoned. Default 5 s.</summary>
    public TimeSpan HarakiriGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of failed runs.</summary>
    public RetryPolicy RetryPolicy { get; init; } = new();

    /// <summary>Where tasks go after their last failed attempt; default <c>&lt;Directory&gt;/dead</c>. No consumer scans it.</summary>
    public string? DeadLetterDirectory { get; init; }

    /// <summary>Where files that cannot be decoded go, with a note of the reason; default <c>&lt;Directory&gt;/quarantine</c>.</summary>
    public string? QuarantineDirectory { get; init; }

    /// <summary>fsync policy of retry rewrites and moves.</summary>
    public SpoolDurability Durability { get; init; } = SpoolDurability.Full;

    /// <summary>
    /// Move a finished task file of at most 4 KB into <c>.typedspool-free/</c> in the spool, for a producer to
    /// overwrite, instead of unlinking it (at most 1,024 files; each leaves after an hour unused). Creating files is
    /// much slower than overwriting them on a file system that has just freed many (ext4 without a journal skips each
    /// recently freed inode), and unlinking can wait for a discard. Default true.
    /// </summary>
    public bool RecycleFiles { get; init; } = true;

    /// <summary>Use file-system notifications (inotify) to wake on new files. Default true.</summary>
    public bool WatchForChanges { get; init; } = true;

    /// <summary>
    /// A file shorter than a header is left alone this long (uWSGI's own writer creates the file before it locks
    /// and fills it), then quarantined. Default 1 minute.
    /// </summary>
    public TimeSpan IncompleteFileGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Log each task's start and success at Debug rather than Information (uWSGI <c>--spooler-quiet</c>).</summary>
    public bool Quiet { get; init; }

    /// <summary>Clock used for due times and delays; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal string ResolvedDirectory => Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory));

    internal string ResolvedDeadLetterDirectory => Path.GetFullPath(DeadLetterDirectory ?? Path.Combine(ResolvedDirectory, SpoolLayout.Dead));

    internal string ResolvedQuarantineDirectory => Path.GetFullPath(QuarantineDirectory ?? Path.Combine(ResolvedDirectory, SpoolLayout.Quarantine));

    /// <summary>Throws an <see cref="ArgumentException"/> that names the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw new ArgumentException("SpoolWorkerOptions.Directory is required.");
        if (Frequency <= TimeSpan.Zero) throw new ArgumentException($"SpoolWorkerOptions.Frequency must be positive, not {Frequency}.");
        if (Concurrency < 1) throw new ArgumentException($"SpoolWorkerOptions.Concurrency must be at least 1, not {Concurrency}.");
        if (Harakiri is { } harakiri && harakiri <= TimeSpan.Zero) throw new ArgumentException($"SpoolWorkerOptions.Harakiri must be positive when set, not {harakiri}.");
        if (HarakiriGrace < TimeSpan.Zero) throw new ArgumentException($"SpoolWorkerOptions.HarakiriGrace must not be negative, not {HarakiriGrace}.");
        if (IncompleteFileGrace < TimeSpan.Zero) throw new ArgumentException($"SpoolWorkerOptions.IncompleteFileGrace must not be negative, not {IncompleteFileGrace}.");
        ArgumentNullException.ThrowIfNull(RetryPolicy, "SpoolWorkerOptions.RetryPolicy");
        RetryPolicy.Validate("SpoolWorkerOptions.RetryPolicy");
        ArgumentNullException.ThrowIfNull(TimeProvider, "SpoolWorkerOptions.TimeProvider");
    }
}
