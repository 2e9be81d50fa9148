namespace TypedSpool;

/// <summary>What a task's run asks the spool to do with its file. The values are uWSGI's.</summary>
public enum SpoolResult
{
    /// <summary>Done: the file is deleted (uWSGI <c>SPOOL_OK</c>).</summary>
    Ok = -2,

    /// <summary>Run it again later, under the retry policy (uWSGI <c>SPOOL_RETRY</c>).</summary>
    Retry = -1,

    /// <summary>Not mine: the file is left untouched for another consumer (uWSGI <c>SPOOL_IGNORE</c>).</summary>
    Ignore = 0,

    /// <summary>
    /// Done for now, run it again at the next full scan without counting a failure (uwsgidecorators'
    /// <c>@spoolforever</c>). A TypedSpool addition; uWSGI treats the value as "keep the file" too.
    /// </summary>
    RunAgain = 1,
}
