namespace TypedSpool.Storage;

/// <summary>How much a spool write waits for the disk.</summary>
public enum SpoolDurability
{
    /// <summary>fsync the file and its directory before an enqueue returns: a task survives a power loss (default).</summary>
    Full,

    /// <summary>
    /// No fsync. Other processes still see a task whole or not at all (rename), and a process crash loses nothing; but a
    /// crash of the machine may lose recent tasks and, where a recycled file was being reused (see
    /// <see cref="SpoolWorkerOptions.RecycleFiles"/>), bring back a finished task's bytes under the new name. For
    /// throwaway spools and benchmarks.
    /// </summary>
    None,
}
