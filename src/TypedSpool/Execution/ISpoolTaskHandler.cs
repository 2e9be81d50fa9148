namespace TypedSpool;

/// <summary>Runs spool tasks. The raw API: works without the source generator, on any uWSGI-compatible file.</summary>
public interface ISpoolTaskHandler
{
    /// <summary>Runs one task. An exception counts as <see cref="SpoolResult.Retry"/>.</summary>
    ValueTask<SpoolResult> HandleAsync(SpoolTask task, CancellationToken cancellationToken);
}

/// <summary>Adapts a delegate to <see cref="ISpoolTaskHandler"/>.</summary>
public sealed class DelegateSpoolTaskHandler(Func<SpoolTask, CancellationToken, ValueTask<SpoolResult>> handler) : ISpoolTaskHandler
{
    private readonly Func<SpoolTask, CancellationToken, ValueTask<SpoolResult>> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <inheritdoc />
    public ValueTask<SpoolResult> HandleAsync(SpoolTask task, CancellationToken cancellationToken) => _handler(task, cancellationToken);
}
