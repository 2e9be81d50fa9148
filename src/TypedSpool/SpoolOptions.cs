namespace TypedSpool;

/// <summary>Per-task enqueue options: when, how urgent, and where.</summary>
public sealed class SpoolOptions
{
    /// <summary>Do not run before this time (uWSGI's <c>at</c>; stored as the file's mtime). Exclusive with <see cref="Delay"/>.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Do not run before now plus this delay. Exclusive with <see cref="At"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Priority subdirectory (0 or more; lower runs first in ordered mode). uWSGI only runs these with <c>--spooler-ordered</c>.</summary>
    public int? Priority { get; init; }

    /// <summary>Name (or directory path) of a configured spool; null for the default one.</summary>
    public string? Spooler { get; init; }
}
