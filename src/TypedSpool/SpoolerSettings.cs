using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>How a <see cref="Spooler"/> writes.</summary>
public sealed class SpoolerSettings
{
    /// <summary>fsync policy; <see cref="SpoolDurability.Full"/> by default.</summary>
    public SpoolDurability Durability { get; init; } = SpoolDurability.Full;

    /// <summary>
    /// With <see cref="SpoolDurability.Full"/>, concurrent enqueues into one directory share their fsyncs (group
    /// commit): each still returns only once its task is durable. On by default; off, every enqueue syncs alone.
    /// </summary>
    public bool GroupCommit { get; init; } = true;

    /// <summary>Clock for <see cref="SpoolOptions.Delay"/> and file names; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
