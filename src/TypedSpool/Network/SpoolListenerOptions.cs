using System.Net;

namespace TypedSpool.Network;

/// <summary>Settings of a <see cref="SpoolListener"/>; safe by default.</summary>
public sealed class SpoolListenerOptions
{
    /// <summary>Where to listen: <c>tcp://127.0.0.1:PORT</c> or <c>unix:PATH</c>. Required.</summary>
    public required string Address { get; init; }

    /// <summary>Listen on a non-loopback address. Off by default: a spool accepts work from anyone who can connect.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>Client networks allowed to send (TCP only); empty allows any client that can connect.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>Connections served at once; others wait in the accept queue. Default 64.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Time a client has to send its whole packet; a slow client cannot hold a connection longer. Default 5 s.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Accept a body after the packet (TypedSpool extension, off by default as uWSGI drops bodies).</summary>
    public bool AcceptBody { get; init; }

    /// <summary>Largest body accepted. Default 64 MiB.</summary>
    public long MaxBodySize { get; init; } = 64L << 20;

    /// <summary>When set, only packets signed with this key are accepted (TypedSpool extension).</summary>
    public SpoolNetworkAuth? Auth { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        var endpoint = SpoolEndpoint.Parse(Address);
        if (!endpoint.IsLoopback && !AllowRemote)
        {
            throw new ArgumentException($"SpoolListenerOptions.Address '{Address}' is not a loopback address; set AllowRemote (and preferably AllowedNetworks) to listen on it.");
        }
        if (MaxConnections < 1) throw new ArgumentException($"SpoolListenerOptions.MaxConnections must be at least 1, not {MaxConnections}.");
        if (MaxBodySize < 0 || MaxBodySize > Array.MaxLength) throw new ArgumentException($"SpoolListenerOptions.MaxBodySize must be between 0 and {Array.MaxLength}, not {MaxBodySize}.");
        if (ReadTimeout <= TimeSpan.Zero) throw new ArgumentException($"SpoolListenerOptions.ReadTimeout must be positive, not {ReadTimeout}.");
    }
}
