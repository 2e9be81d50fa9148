namespace TypedSpool.Storage;

/// <summary>
/// Where a spool keeps the tasks it does not run: directories inside it whose names neither uWSGI nor TypedSpool
/// scans (only all-digit subdirectories are priority directories).
/// </summary>
public static class SpoolLayout
{
    /// <summary>Tasks that failed their last attempt (the worker's default dead-letter directory).</summary>
    public const string Dead = "dead";

    /// <summary>Files that could not be decoded (the worker's default quarantine directory).</summary>
    public const string Quarantine = "quarantine";

    /// <summary>Tasks an operator set aside until released.</summary>
    public const string Held = "held";

    /// <summary>Finished task files kept for producers to overwrite (inode recycling; see <c>SpoolWorkerOptions.RecycleFiles</c>).</summary>
    public const string Recycled = ".typedspool-free";
}
