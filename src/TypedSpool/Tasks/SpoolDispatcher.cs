namespace TypedSpool;

/// <summary>
/// The handler that runs generated tasks: finds the task by its wire name and calls its typed invoker. A file whose
/// name no task here knows is left for another consumer (<see cref="SpoolResult.Ignore"/>), as uWSGI does when
/// no language plugin claims it, so a Python spooler can share the directory.
/// </summary>
public sealed class SpoolDispatcher : ISpoolTaskHandler
{
    private readonly IServiceProvider _services;

    /// <summary>Creates a dispatcher over <see cref="SpoolTaskRegistry"/>; <paramref name="services"/> resolves injected parameters.</summary>
    public SpoolDispatcher(IServiceProvider? services = null)
    {
        _services = services ?? EmptyServices.Instance;
    }

    /// <inheritdoc />
    public ValueTask<SpoolResult> HandleAsync(SpoolTask task, CancellationToken cancellationToken)
        => DispatchAsync(task, _services, cancellationToken);

    /// <summary>Runs <paramref name="task"/> with <paramref name="services"/> (for example a per-task scope's provider).</summary>
    public static ValueTask<SpoolResult> DispatchAsync(SpoolTask task, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(services);
        return task.Name is { } name && SpoolTaskRegistry.TryGet(name, out var descriptor)
            ? descriptor.Invoke(task, services, cancellationToken)
            : ValueTask.FromResult(SpoolResult.Ignore);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
