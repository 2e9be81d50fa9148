namespace TypedSpool.Format;

/// <summary>Keys with a meaning to uWSGI, uwsgidecorators or TypedSpool.</summary>
public static class SpoolKeys
{
    /// <summary>Which configured spool receives the task (uWSGI: a directory path).</summary>
    public const string Spooler = "spooler";

    /// <summary>Priority subdirectory, digits only.</summary>
    public const string Priority = "priority";

    /// <summary>Unix time before which the task must not run (the file's mtime carries it).</summary>
    public const string At = "at";

    /// <summary>Producer-side key whose bytes become the file body (uWSGI's Python API).</summary>
    public const string Body = "body";

    /// <summary>Task name written by uwsgidecorators and by TypedSpool.</summary>
    public const string TaskName = "ud_spool_func";

    /// <summary>uwsgidecorators' fixed return code (<c>-2</c> for @spool, <c>-1</c> for @spoolforever).</summary>
    public const string FixedReturn = "ud_spool_ret";

    /// <summary>Added by uWSGI's Python plugin for handlers: the bare file name.</summary>
    public const string SpoolerTaskName = "spooler_task_name";

    /// <summary>W3C trace context of the producer's span, so that the consumer's span continues the trace.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>Unix seconds of the [Timer]/[Cron] slot a scheduled run was written for.</summary>
    public const string Slot = "typedspool_slot";

    /// <summary>TypedSpool's attempt counter: the number of the next run (absent means 1).</summary>
    public const string Attempt = "typedspool_attempt";
}
