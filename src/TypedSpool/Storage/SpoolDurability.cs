namespace TypedSpool.Storage;

/// <summary>How much a spool write waits for the disk.</summary>
public enum SpoolDurability
{
    /// <summary>fsync the file and its directory before an enqueue returns: a task survives a power loss (default).</summary>
    Full,

    /// <summary>No fsync: the write is still atomic (rename), but a crash of the machine may lose recent tasks. For throwaway spools and benchmarks.</summary>
    None,
}
