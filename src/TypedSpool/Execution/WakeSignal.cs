namespace TypedSpool.Execution;

/// <summary>An auto-reset, awaitable flag: any number of <see cref="Set"/> calls before a wait collapse into one wake-up.</summary>
internal sealed class WakeSignal
{
    private readonly object _gate = new();
    private TaskCompletionSource? _waiter;
    private bool _signaled;

    public void Set()
    {
        TaskCompletionSource? toRelease;
        lock (_gate)
        {
            if (_waiter is null)
            {
                _signaled = true;
                return;
            }
            toRelease = _waiter;
            _waiter = null;
        }
        toRelease.TrySetResult();
    }

    /// <summary>Waits for a signal or the timeout; returns true when signalled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task waitTask;
        lock (_gate)
        {
            if (_signaled)
            {
                _signaled = false;
                return true;
            }
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waitTask = _waiter.Task;
        }
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, timeoutCts.Token);
        await Task.WhenAny(waitTask, delay).ConfigureAwait(false);
        timeoutCts.Cancel();
        lock (_gate)
        {
            if (waitTask.IsCompleted)
            {
                return true;
            }
            // Timed out: forget this waiter so that a later Set is kept for the next wait, not lost.
            if (_waiter is not null && _waiter.Task == waitTask)
            {
                _waiter = null;
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }
}
