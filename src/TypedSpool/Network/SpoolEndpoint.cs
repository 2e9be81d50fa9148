using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TypedSpool.Network;

/// <summary>A network spool address: <c>tcp://host:port</c> or <c>unix:/path/to.sock</c>.</summary>
public sealed record SpoolEndpoint
{
    private SpoolEndpoint(string text, EndPoint endPoint, bool isLoopback)
    {
        Text = text;
        EndPoint = endPoint;
        IsLoopback = isLoopback;
    }

    /// <summary>The address as written.</summary>
    public string Text { get; }

    /// <summary>The socket endpoint.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>True for a Unix socket or a loopback IP address (safe to listen on by default).</summary>
    public bool IsLoopback { get; }

    /// <summary>True when <paramref name="text"/> names a network spool rather than a configured spool name.</summary>
    public static bool IsNetworkAddress(string? text)
        => text is not null && (text.StartsWith("tcp://", StringComparison.Ordinal) || text.StartsWith("unix:", StringComparison.Ordinal));

    /// <summary>Parses an address, or throws an <see cref="ArgumentException"/> that shows the accepted forms.</summary>
    public static SpoolEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("unix:", StringComparison.Ordinal) && text.Length > "unix:".Length)
        {
            return new SpoolEndpoint(text, new UnixDomainSocketEndPoint(text["unix:".Length..]), isLoopback: true);
        }
        if (text.StartsWith("tcp://", StringComparison.Ordinal))
        {
            string rest = text["tcp://".Length..];
            int colon = rest.LastIndexOf(':');
            if (colon > 0 && int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535)
            {
                string host = rest[..colon].Trim('[', ']');
                if (IPAddress.TryParse(host, out var address))
                {
                    return new SpoolEndpoint(text, new IPEndPoint(address, port), IPAddress.IsLoopback(address));
                }
                if (host.Length > 0)
                {
                    return new SpoolEndpoint(text, new DnsEndPoint(host, port), string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase));
                }
            }
        }
        throw new ArgumentException($"Invalid spool address '{text}': expected tcp://HOST:PORT (e.g. tcp://127.0.0.1:10001) or unix:/path/to/socket.");
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
