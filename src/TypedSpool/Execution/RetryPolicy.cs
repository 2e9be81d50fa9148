namespace TypedSpool;

/// <summary>
/// How failed runs are retried: exponential backoff with jitter, then the dead-letter directory.
/// uWSGI retries forever at every scan; TypedSpool bounds retries by default.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Runs in all before the task is dead-lettered; 0 retries forever, as uWSGI. Default 10.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>Delay before the second run. Default 2 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Each later delay is the previous one times this. Default 2.</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>Upper bound of a delay. Default 10 minutes.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Random spread, as a fraction of the delay (0.2 = ±20%), so failing tasks do not retry in lockstep.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>True when a run numbered <paramref name="attempt"/> that failed was the last one allowed.</summary>
    public bool IsExhausted(int attempt) => MaxAttempts > 0 && attempt >= MaxAttempts;

    /// <summary>Delay after the failed run numbered <paramref name="attempt"/>; <paramref name="random"/> is in [0, 1).</summary>
    public TimeSpan GetDelay(int attempt, double random)
    {
        double baseTicks = InitialDelay.Ticks * Math.Pow(Multiplier, Math.Max(0, attempt - 1));
        double capped = Math.Min(baseTicks, MaxDelay.Ticks);
        double jittered = capped * (1 + Jitter * (2 * random - 1));
        return TimeSpan.FromTicks((long)Math.Clamp(jittered, 0, MaxDelay.Ticks * (1 + Jitter)));
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate(string prefix = "RetryPolicy")
    {
        if (MaxAttempts < 0) throw new ArgumentException($"{prefix}.MaxAttempts must be 0 (retry forever) or more, not {MaxAttempts}.");
        if (InitialDelay < TimeSpan.Zero) throw new ArgumentException($"{prefix}.InitialDelay must not be negative, not {InitialDelay}.");
        if (MaxDelay < InitialDelay) throw new ArgumentException($"{prefix}.MaxDelay ({MaxDelay}) must be at least InitialDelay ({InitialDelay}).");
        if (!(Multiplier >= 1.0) || double.IsInfinity(Multiplier)) throw new ArgumentException($"{prefix}.Multiplier must be a finite number of at least 1, not {Multiplier}.");
        if (!(Jitter >= 0 && Jitter < 1)) throw new ArgumentException($"{prefix}.Jitter must be in [0, 1), not {Jitter}.");
    }
}
