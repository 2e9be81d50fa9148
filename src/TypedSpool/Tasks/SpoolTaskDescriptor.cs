namespace TypedSpool;

/// <summary>Decodes a task's payload, resolves its injected parameters and calls the method. Generated; no reflection.</summary>
/// <param name="task">The task to run.</param>
/// <param name="services">Where <see cref="FromServicesAttribute"/> parameters and instance targets come from.</param>
/// <param name="cancellationToken">Fires when the worker abandons the task.</param>
public delegate ValueTask<SpoolResult> SpoolTaskInvoker(SpoolTask task, IServiceProvider services, CancellationToken cancellationToken);

/// <summary>One entry of a generated dispatch table: a wire name and the invoker of its method.</summary>
/// <param name="Name">The wire name (<c>ud_spool_func</c>).</param>
/// <param name="Method">The method, for messages and tools: <c>Namespace.Type.Method</c>.</param>
/// <param name="Invoke">The generated invoker.</param>
public sealed record SpoolTaskDescriptor(string Name, string Method, SpoolTaskInvoker Invoke)
{
    /// <summary>For a <see cref="TimerAttribute"/> task: the interval.</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>For a <see cref="CronAttribute"/> task: the cron expression.</summary>
    public string? Cron { get; init; }

    /// <summary>True when the task runs on a schedule.</summary>
    public bool IsScheduled => Every is not null || Cron is not null;
}
