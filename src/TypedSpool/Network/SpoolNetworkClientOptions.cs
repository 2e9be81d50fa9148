namespace TypedSpool.Network;

/// <summary>How a task is sent to a network spool.</summary>
public sealed class SpoolNetworkClientOptions
{
    /// <summary>Time allowed to connect, send and get the answer. Default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Send the body after the packet (TypedSpool extension; uWSGI drops it, so a listener must set AcceptBody).</summary>
    public bool SendBody { get; init; }

    /// <summary>Sign each packet with a shared key (TypedSpool extension, for listeners with the same key).</summary>
    public SpoolNetworkAuth? Auth { get; init; }
}
