using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>How a <see cref="Spooler"/> writes.</summary>
public sealed class SpoolerSettings
{
    /// <summary>fsync policy; <see cref="SpoolDurability.Full"/> by default.</summary>
    public SpoolDurability Durability { get; init; } = SpoolDurability.Full;

    /// <summary>
    /// Overwrite a finished task file that a worker left in the spool's <c>.typedspool-free/</c> directory rather than
    /// create a new file, when there is one (see <see cref="SpoolWorkerOptions.RecycleFiles"/>). Default true.
    /// </summary>
    public bool RecycleFiles { get; init; } = true;

    /// <summary>Clock for <see cref="SpoolOptions.Delay"/> and file names; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
