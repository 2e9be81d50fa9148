using System.Collections.Concurrent;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>Typed tasks for the dead-letter scenarios; dispatched through the table the generator writes for this assembly.</summary>
public static partial class FaultTasks
{
    public static ConcurrentQueue<int> Counted { get; } = new();

    [Spool(Name = "fault.count")]
    public static void Count(int n) => Counted.Enqueue(n);

    [Spool(Name = "fault.poison")]
    public static void Poison(string why) => throw new InvalidOperationException("poisoned: " + why);
}
