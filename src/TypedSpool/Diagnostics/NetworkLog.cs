using Microsoft.Extensions.Logging;

namespace TypedSpool.Diagnostics;

/// <summary>The network listener's log events.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(30, LogLevel.Debug, "Task from {Peer} written to {File}")]
    public static partial void Accepted(ILogger logger, string peer, string file);

    [LoggerMessage(31, LogLevel.Warning, "Refused a task from {Peer}: {Reason}")]
    public static partial void Refused(ILogger logger, string peer, string reason);

    [LoggerMessage(32, LogLevel.Warning, "Connection from {Peer} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string peer);
}
