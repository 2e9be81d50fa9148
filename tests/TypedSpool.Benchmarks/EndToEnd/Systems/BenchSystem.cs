namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>The coordinator's side of one system: runs the four phases of one repetition.</summary>
internal abstract class BenchSystem
{
    public abstract string Name { get; }

    /// <summary>How the system is set up, printed under the table.</summary>
    public abstract string Notes { get; }

    /// <summary>Why it cannot run here (then it is reported as skipped), or null.</summary>
    public virtual string? UnavailableReason => null;

    public abstract Task RunAsync(RunContext context);
}
