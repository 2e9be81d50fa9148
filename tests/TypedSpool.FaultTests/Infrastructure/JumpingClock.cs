namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>
/// The system clock plus an offset that a test moves, as NTP or an operator would: timers keep running on real time
/// (as the kernel's monotonic timers do) while the wall clock jumps.
/// </summary>
internal sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}
