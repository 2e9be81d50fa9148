namespace TypedSpool.Execution;

/// <summary>Counters shared by concurrently running tasks of one pass.</summary>
internal sealed class Tally
{
    public int Succeeded;
    public int RanAgain;
    public int Retried;
    public int DeadLettered;
    public int Quarantined;
    public int Ignored;
    private long _nextDueTicks = long.MaxValue;

    public void NoteDue(DateTimeOffset due)
    {
        long ticks = due.UtcTicks;
        long current;
        while (ticks < (current = Interlocked.Read(ref _nextDueTicks)))
        {
            if (Interlocked.CompareExchange(ref _nextDueTicks, ticks, current) == current)
            {
                break;
            }
        }
    }

    public SpoolRunSummary ToSummary()
    {
        long due = Interlocked.Read(ref _nextDueTicks);
        return new SpoolRunSummary
        {
            Succeeded = Volatile.Read(ref Succeeded),
            RanAgain = Volatile.Read(ref RanAgain),
            Retried = Volatile.Read(ref Retried),
            DeadLettered = Volatile.Read(ref DeadLettered),
            Quarantined = Volatile.Read(ref Quarantined),
            Ignored = Volatile.Read(ref Ignored),
            NextDue = due == long.MaxValue ? null : new DateTimeOffset(due, TimeSpan.Zero),
        };
    }
}
