using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TypedSpool.Hosting;

/// <summary>
/// uWSGI's <c>--spooler-max-tasks</c>: after that many runs the application stops, so that its supervisor (systemd,
/// Kubernetes) starts a fresh process, which is what uWSGI's master does with a recycled spooler.
/// </summary>
internal sealed partial class MaxTasksHandler(ISpoolTaskHandler inner, int maxTasks, string spool, IHostApplicationLifetime lifetime, ILogger logger) : ISpoolTaskHandler
{
    private int _count;

    public async ValueTask<SpoolResult> HandleAsync(SpoolTask task, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.HandleAsync(task, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Increment(ref _count) == maxTasks)
            {
                Recycling(logger, maxTasks, spool);
                lifetime.StopApplication();
            }
        }
    }

    [LoggerMessage(20, LogLevel.Warning, "Maximum number of tasks reached ({MaxTasks}) on spool {Spool}: stopping the application to be recycled")]
    private static partial void Recycling(ILogger logger, int maxTasks, string spool);
}
