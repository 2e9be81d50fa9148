using System.Net.Sockets;
using TypedSpool.Format;

namespace TypedSpool.Network;

/// <summary>
/// Sends tasks to a network spool: a TypedSpool <see cref="SpoolListener"/> or a uWSGI instance with
/// <c>--plugin spooler</c>. One connection per task, as uWSGI answers and closes.
/// </summary>
public static class SpoolNetworkClient
{
    /// <summary>Default time allowed to connect, send and get the answer.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends <paramref name="packet"/> and waits for the answer. Throws <see cref="SpoolRemoteException"/> when the remote
    /// refuses it or answers anything else, and <see cref="ArgumentException"/> for a packet with a body (the uwsgi
    /// protocol cannot carry one) or over the size limits; nothing is sent then.
    /// </summary>
    public static Task SendAsync(SpoolEndpoint endpoint, SpoolPacket packet, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => SendAsync(endpoint, packet, new SpoolNetworkClientOptions { Timeout = timeout ?? DefaultTimeout }, cancellationToken);

    /// <summary>
    /// Sends with TypedSpool's opt-in extensions (<see cref="SpoolNetworkClientOptions.SendBody"/>,
    /// <see cref="SpoolNetworkClientOptions.Auth"/>), which only a TypedSpool listener configured for them accepts.
    /// </summary>
    public static async Task SendAsync(SpoolEndpoint endpoint, SpoolPacket packet, SpoolNetworkClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        TimeSpan? timeout = options.Timeout;
        var body = packet.Body;
        if (!body.IsEmpty && !options.SendBody)
        {
            throw new ArgumentException($"A task sent to {endpoint} cannot have a body: the uwsgi network protocol drops it. Set SendBody (TypedSpool listeners with AcceptBody only), or write to a local spool.");
        }
        var request = new SpoolPacket(packet.Pairs, default, SpoolPacket.SpoolModifier1, 0);
        if (!body.IsEmpty)
        {
            request = request.With(SpoolNetworkAuth.BodyLengthKey, body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (options.Auth is { } auth)
        {
            request = auth.Sign(request, body, DateTimeOffset.UtcNow);
        }
        byte[] bytes = [.. SpoolPacketCodec.EncodeHeaderAndArea(request), .. body.Span];

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        using var socket = new Socket(endpoint.EndPoint.AddressFamily == AddressFamily.Unix ? AddressFamily.Unix : endpoint.EndPoint.AddressFamily,
            SocketType.Stream, endpoint.EndPoint.AddressFamily == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        var answer = new byte[4];
        try
        {
            await socket.ConnectAsync(endpoint.EndPoint, deadline.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(bytes, deadline.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send); // all sent: the server need not wait for more
            if (!await SpoolWire.ReadExactlyAsync(stream, answer, deadline.Token).ConfigureAwait(false))
            {
                throw new SpoolRemoteException(endpoint.Text, "closed the connection without answering (is it a spooler? uWSGI needs --plugin spooler and a spooler directory)");
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SpoolRemoteException(endpoint.Text, $"no answer within {timeout ?? DefaultTimeout}", ex);
        }
        catch (SocketException ex)
        {
            throw new SpoolRemoteException(endpoint.Text, ex.Message, ex);
        }
        if (answer.AsSpan().SequenceEqual(SpoolWire.Accepted)) return;
        if (answer.AsSpan().SequenceEqual(SpoolWire.Refused))
        {
            throw new SpoolRemoteException(endpoint.Text, "refused the task (unknown spooler, invalid priority or at, or a full disk: see the remote's log)");
        }
        throw new SpoolRemoteException(endpoint.Text, $"answered {Convert.ToHexString(answer).ToLowerInvariant()}, not a spooler's ff000001/ff000000");
    }
}
