namespace TypedSpool;

/// <summary>
/// A task ran past <see cref="SpoolWorkerOptions.Harakiri"/> (uWSGI's <c>--spooler-harakiri</c>). Its token fired;
/// if it still did not stop within <see cref="SpoolWorkerOptions.HarakiriGrace"/> it was abandoned, still running,
/// and its file was rescheduled. Either way the run counts as a failure under the retry policy.
/// </summary>
public sealed class SpoolHarakiriException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public SpoolHarakiriException(string? taskName, TimeSpan limit, bool abandoned)
        : base(abandoned
            ? $"Task '{taskName}' ran past its harakiri limit of {limit} and ignored its cancellation token; it was abandoned, still running, and its file rescheduled."
            : $"Task '{taskName}' ran past its harakiri limit of {limit} and was cancelled.")
    {
        TaskName = taskName;
        Limit = limit;
        Abandoned = abandoned;
    }

    /// <summary>The task's wire name.</summary>
    public string? TaskName { get; }

    /// <summary>The limit it exceeded.</summary>
    public TimeSpan Limit { get; }

    /// <summary>True when the task ignored its token and the worker stopped waiting for it.</summary>
    public bool Abandoned { get; }
}
