using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TypedSpool.Diagnostics;
using TypedSpool.Format;

namespace TypedSpool.Network;

/// <summary>
/// Accepts tasks over the network as a uWSGI instance with the spooler plugin does (modifier1 17), writes each
/// durably into the local spool with the same rules as a local enqueue (<c>priority</c>, <c>at</c> and <c>spooler</c>
/// resolved here), and answers <c>ff 00 00 01</c> only once the file is durable, <c>ff 00 00 00</c> on refusal.
/// Anything malformed is refused and logged; nothing is written for it.
/// </summary>
public sealed class SpoolListener
{
    private readonly SpoolListenerOptions _options;
    private readonly Spooler _spooler;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connections;
    private readonly SpoolEndpoint _endpoint;
    private readonly TaskCompletionSource<EndPoint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a listener writing to <paramref name="spooler"/>; invalid options throw, naming the option.</summary>
    public SpoolListener(SpoolListenerOptions options, Spooler spooler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(spooler);
        options.Validate();
        _options = options;
        _spooler = spooler;
        _logger = logger ?? NullLogger.Instance;
        _endpoint = SpoolEndpoint.Parse(options.Address);
        _connections = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
    }

    /// <summary>The bound endpoint (with the real port when the address asked for port 0); completes once listening.</summary>
    public Task<EndPoint> Bound => _bound.Task;

    /// <summary>Listens until <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        bool unix = _endpoint.EndPoint is UnixDomainSocketEndPoint;
        using var listener = new Socket(unix ? AddressFamily.Unix : _endpoint.EndPoint.AddressFamily, SocketType.Stream, unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            if (unix && _endpoint.Text["unix:".Length..] is var path && File.Exists(path))
            {
                File.Delete(path); // a stale socket of a previous run
            }
            listener.Bind(_endpoint.EndPoint);
            listener.Listen(128);
            _bound.TrySetResult(listener.LocalEndPoint!);
        }
        catch (Exception ex)
        {
            _bound.TrySetException(ex);
            throw;
        }

        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _connections.WaitAsync(stoppingToken).ConfigureAwait(false);
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
                }
                catch
                {
                    _connections.Release();
                    throw;
                }
                running.RemoveAll(t => t.IsCompleted);
                running.Add(ServeAsync(client, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket client, CancellationToken stoppingToken)
    {
        string peer = client.RemoteEndPoint?.ToString() ?? "unix socket";
        try
        {
            using (client)
            await using (var stream = new NetworkStream(client, ownsSocket: false))
            {
                if (client.RemoteEndPoint is IPEndPoint remote && _options.AllowedNetworks.Count > 0
                    && !_options.AllowedNetworks.Any(n => n.Contains(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address)))
                {
                    NetworkLog.Refused(_logger, peer, "its address is not in AllowedNetworks");
                    await CloseGentlyAsync(client, stream, stoppingToken).ConfigureAwait(false);
                    return; // no answer: nothing about the spool is told to a stranger
                }
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                deadline.CancelAfter(_options.ReadTimeout);
                bool accepted = false;
                try
                {
                    accepted = await ReceiveAsync(stream, peer, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    NetworkLog.Refused(_logger, peer, $"it did not send a whole packet within {_options.ReadTimeout}");
                }
                await stream.WriteAsync((accepted ? SpoolWire.Accepted : SpoolWire.Refused).ToArray(), stoppingToken).ConfigureAwait(false);
                await CloseGentlyAsync(client, stream, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            NetworkLog.ConnectionFailed(_logger, ex, peer);
        }
        finally
        {
            _connections.Release();
        }
    }

    /// <summary>
    /// Ends the connection so that the answer arrives: closing a socket with unread input (bytes after the area, a
    /// refused packet's rest) makes the kernel reset the connection and the peer may lose the answer. So: shut down
    /// sending, then read and discard what the client still sends, briefly and boundedly.
    /// </summary>
    private static async Task CloseGentlyAsync(Socket client, NetworkStream stream, CancellationToken stoppingToken)
    {
        try
        {
            client.Shutdown(SocketShutdown.Send);
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            drain.CancelAfter(TimeSpan.FromSeconds(1));
            var sink = new byte[4096];
            for (int total = 0; total < 1 << 20;)
            {
                int read = await stream.ReadAsync(sink, drain.Token).ConfigureAwait(false);
                if (read == 0) break;
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // The answer is sent; a client that keeps talking is simply cut off.
        }
    }

    private async Task<bool> ReceiveAsync(NetworkStream stream, string peer, CancellationToken cancellationToken)
    {
        var header = new byte[SpoolPacketCodec.HeaderSize];
        if (!await SpoolWire.ReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            NetworkLog.Refused(_logger, peer, "it closed before sending a header");
            return false;
        }
        if (header[0] != SpoolPacket.SpoolModifier1)
        {
            NetworkLog.Refused(_logger, peer, $"modifier1 is {header[0]}, not 17 (spool)");
            return false;
        }
        int size = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(1, 2));
        var packetBytes = new byte[SpoolPacketCodec.HeaderSize + size];
        header.CopyTo(packetBytes, 0);
        if (!await SpoolWire.ReadExactlyAsync(stream, packetBytes.AsMemory(SpoolPacketCodec.HeaderSize), cancellationToken).ConfigureAwait(false))
        {
            NetworkLog.Refused(_logger, peer, $"it closed before sending the {size}-byte area its header announced");
            return false;
        }
        // As uWSGI: bytes after the area are ignored (no body travels, unless the opt-in extension announces one), and
        // the stored file carries modifier1 17, modifier2 0.
        SpoolPacket packet;
        try
        {
            var decoded = SpoolPacketCodec.Decode(packetBytes);
            packet = new SpoolPacket(decoded.Pairs, default, SpoolPacket.SpoolModifier1, 0);
        }
        catch (SpoolFormatException ex)
        {
            NetworkLog.Refused(_logger, peer, ex.Message);
            return false;
        }

        byte[] body = [];
        if (packet.GetText(SpoolNetworkAuth.BodyLengthKey) is { } lengthText)
        {
            if (!_options.AcceptBody)
            {
                NetworkLog.Refused(_logger, peer, "it announces a body and this listener does not accept bodies (AcceptBody)");
                return false;
            }
            if (!long.TryParse(lengthText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length)
                || length > _options.MaxBodySize)
            {
                NetworkLog.Refused(_logger, peer, $"its body length '{lengthText}' is invalid or over MaxBodySize ({_options.MaxBodySize})");
                return false;
            }
            body = new byte[length];
            if (!await SpoolWire.ReadExactlyAsync(stream, body, cancellationToken).ConfigureAwait(false))
            {
                NetworkLog.Refused(_logger, peer, $"it closed before sending its {length}-byte body");
                return false;
            }
        }
        if (_options.Auth is { } auth)
        {
            if (auth.Verify(packet, body, DateTimeOffset.UtcNow, out string problem) is not { } verified)
            {
                NetworkLog.Refused(_logger, peer, problem);
                return false;
            }
            packet = verified;
        }
        packet = packet.Without(SpoolNetworkAuth.BodyLengthKey, SpoolNetworkAuth.AuthKey).WithBody(body);
        try
        {
            var task = _spooler.Enqueue(packet);
            NetworkLog.Accepted(_logger, peer, task.Path);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            NetworkLog.Refused(_logger, peer, ex.Message);
            return false;
        }
    }
}
