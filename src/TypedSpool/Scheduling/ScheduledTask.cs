namespace TypedSpool.Scheduling;

/// <summary>A task that runs on a schedule: its wire name and the function that gives the next slot strictly after a time.</summary>
/// <param name="Name">The task's wire name (<c>ud_spool_func</c> of each firing).</param>
/// <param name="NextAfter">The first slot strictly after the given time, or null when the schedule has ended.</param>
public sealed record ScheduledTask(string Name, Func<DateTimeOffset, DateTimeOffset?> NextAfter)
{
    /// <summary>Slots every <paramref name="interval"/>, aligned to the Unix epoch so that every process agrees on them.</summary>
    public static Func<DateTimeOffset, DateTimeOffset?> Every(TimeSpan interval)
    {
        if (interval < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A timer interval must be at least 1 second.");
        }
        long ticks = interval.Ticks;
        return after =>
        {
            long sinceEpoch = after.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
            long next = (Math.DivRem(sinceEpoch, ticks, out _) + 1) * ticks;
            return DateTimeOffset.UnixEpoch.AddTicks(next);
        };
    }
}
