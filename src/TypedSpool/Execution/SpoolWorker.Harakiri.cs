namespace TypedSpool;

/// <summary>SpoolWorker: per-task time limits.</summary>
public sealed partial class SpoolWorker
{
    /// <summary>
    /// Runs the handler; with a harakiri limit its token fires at the limit, and a task that ignores it is abandoned
    /// after the grace period (a thread cannot be killed; uWSGI kills the whole process instead).
    /// </summary>
    private ValueTask<SpoolResult> RunHandlerAsync(SpoolTask task)
        => _options.Harakiri is { } limit ? new ValueTask<SpoolResult>(RunWithHarakiriAsync(task, limit)) : _handler.HandleAsync(task, _abort.Token);

    private async Task<SpoolResult> RunWithHarakiriAsync(SpoolTask task, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, deadline.Token);
        Task<SpoolResult> running;
        try
        {
            running = _handler.HandleAsync(task, linked.Token).AsTask();
        }
        catch (Exception ex)
        {
            running = Task.FromException<SpoolResult>(ex);
        }
        using (var stopWaiting = new CancellationTokenSource())
        {
            var giveUp = Task.Delay(limit + _options.HarakiriGrace, _time, stopWaiting.Token);
            var first = await Task.WhenAny(running, giveUp).ConfigureAwait(false);
            await stopWaiting.CancelAsync().ConfigureAwait(false);
            if (first != running)
            {
                // Keep the runaway's eventual exception from going unobserved.
                _ = running.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw new SpoolHarakiriException(task.Name, limit, abandoned: true);
            }
        }
        try
        {
            return await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !_abort.IsCancellationRequested)
        {
            throw new SpoolHarakiriException(task.Name, limit, abandoned: false);
        }
    }
}
