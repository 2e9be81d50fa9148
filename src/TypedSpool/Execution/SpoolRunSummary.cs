namespace TypedSpool;

/// <summary>What one pass over the spool did.</summary>
public sealed record SpoolRunSummary
{
    /// <summary>Runs that returned <see cref="SpoolResult.Ok"/>.</summary>
    public int Succeeded { get; init; }

    /// <summary>Runs that returned <see cref="SpoolResult.RunAgain"/> (also counted in <see cref="Succeeded"/>).</summary>
    public int RanAgain { get; init; }

    /// <summary>Runs rescheduled for a retry.</summary>
    public int Retried { get; init; }

    /// <summary>Tasks moved to the dead-letter directory.</summary>
    public int DeadLettered { get; init; }

    /// <summary>Files moved to quarantine.</summary>
    public int Quarantined { get; init; }

    /// <summary>Runs that returned <see cref="SpoolResult.Ignore"/>, or were abandoned on cancellation.</summary>
    public int Ignored { get; init; }

    /// <summary>Earliest mtime of a file that was not yet due, if any.</summary>
    public DateTimeOffset? NextDue { get; init; }

    /// <summary>Every task handled in the pass.</summary>
    public int Handled => Succeeded + Retried + DeadLettered + Quarantined + Ignored;
}
