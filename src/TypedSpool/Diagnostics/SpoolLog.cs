using Microsoft.Extensions.Logging;

namespace TypedSpool.Diagnostics;

/// <summary>The worker's log events.</summary>
internal static partial class SpoolLog
{
    [LoggerMessage(EventId = 1, Message = "Task {TaskName} ({File}) attempt {Attempt} succeeded in {ElapsedMs} ms")]
    public static partial void Succeeded(ILogger logger, LogLevel level, string? taskName, string file, int attempt, double elapsedMs);

    [LoggerMessage(2, LogLevel.Warning, "Task {TaskName} ({File}) attempt {Attempt} failed after {ElapsedMs} ms; retry after {Delay}")]
    public static partial void Retrying(ILogger logger, Exception? exception, string? taskName, string file, int attempt, double elapsedMs, TimeSpan delay);

    [LoggerMessage(3, LogLevel.Error, "Task {TaskName} ({File}) failed attempt {Attempt} after {ElapsedMs} ms and will not be retried ({Reason}); moved to {Target}")]
    public static partial void DeadLettered(ILogger logger, Exception? exception, string? taskName, string file, int attempt, double elapsedMs, string reason, string target);

    [LoggerMessage(4, LogLevel.Error, "Spool file {File} cannot be decoded ({Reason}); moved to {Target}")]
    public static partial void Quarantined(ILogger logger, string file, string reason, string target);

    [LoggerMessage(5, LogLevel.Debug, "Task {TaskName} ({File}) was ignored by the handler; left for another consumer")]
    public static partial void Ignored(ILogger logger, string? taskName, string file);

    [LoggerMessage(6, LogLevel.Warning, "Task {TaskName} ({File}) was abandoned on shutdown; it stays in the spool")]
    public static partial void Abandoned(ILogger logger, string? taskName, string file);

    [LoggerMessage(7, LogLevel.Error, "Spool file {File} could not be processed; it stays in the spool")]
    public static partial void StorageFailure(ILogger logger, Exception exception, string file);

    [LoggerMessage(EventId = 9, Message = "Task {TaskName} ({File}) attempt {Attempt} started")]
    public static partial void Started(ILogger logger, LogLevel level, string? taskName, string file, int attempt);

    [LoggerMessage(10, LogLevel.Critical, "HARAKIRI: task {TaskName} ({File}) ran past its limit of {Limit}; abandoned while still running: {Abandoned}. The file stays for a retry.")]
    public static partial void Harakiri(ILogger logger, string? taskName, string file, TimeSpan limit, bool abandoned);

    [LoggerMessage(8, LogLevel.Warning, "File-system notifications failed for {Directory}; relying on the periodic scan")]
    public static partial void WatcherFailed(ILogger logger, Exception exception, string directory);
}
