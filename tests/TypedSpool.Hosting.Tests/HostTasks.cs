using System.Collections.Concurrent;

namespace TypedSpool.Hosting.Tests;

/// <summary>A service the tasks get from the host's container, one instance per task scope.</summary>
public sealed class Recorder
{
    public static readonly ConcurrentQueue<string> Calls = new();

    public void Record(string what) => Calls.Enqueue(what);
}

/// <summary>An instance task class, resolved from the container.</summary>
public sealed partial class HostTasks(Recorder recorder)
{
    public static readonly SemaphoreSlim Gate = new(0);

    [Spool(Name = "host.record")]
    public void RecordIt(string what) => recorder.Record(what);

    [Spool(Name = "host.static")]
    public static void Static(string what, [FromServices] Recorder recorder) => recorder.Record("static:" + what);

    /// <summary>Waits for the test to open the gate, ignoring cancellation (a task that will not stop).</summary>
    [Spool(Name = "host.blocking")]
    public static async Task Blocking(string what, CancellationToken cancellationToken)
    {
        Recorder.Calls.Enqueue("blocking-started:" + what);
        await Gate.WaitAsync(cancellationToken);
        Recorder.Calls.Enqueue("blocking-done:" + what);
    }
}
