using System.Diagnostics;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>
/// CLOCK_MONOTONIC in nanoseconds. On Linux <see cref="Stopwatch"/> reads it, and so does Python's
/// <c>time.monotonic_ns()</c>, so stamps taken in a .NET producer and a uWSGI spooler compare directly.
/// </summary>
internal static class MonotonicClock
{
    private static readonly double s_nsPerTick = 1e9 / Stopwatch.Frequency;

    public static long NowNs() => Stopwatch.Frequency == 1_000_000_000 ? Stopwatch.GetTimestamp() : (long)(Stopwatch.GetTimestamp() * s_nsPerTick);
}
