using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>How a <see cref="Spooler"/> writes.</summary>
public sealed class SpoolerSettings
{
    /// <summary>fsync policy; <see cref="SpoolDurability.Full"/> by default.</summary>
    public SpoolDurability Durability { get; init; } = SpoolDurability.Full;

    /// <summary>Clock for <see cref="SpoolOptions.Delay"/> and file names; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
