using System.Net;
using System.Net.Sockets;
using TypedSpool.Format;
using TypedSpool.Network;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Network;

/// <summary>The modifier-17 listener and client on loopback: accepted, refused, malformed, slow and foreign clients.</summary>
public class NetworkSpoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SpoolPacket Packet(params (string Key, string Value)[] pairs) => SpoolPacket.FromText(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    /// <summary>A listener on a free loopback port; disposing stops it.</summary>
    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public Running(SpoolListenerOptions options, Spooler spooler)
        {
            var listener = new SpoolListener(options, spooler);
            _run = listener.RunAsync(_stop.Token);
            var bound = listener.Bound.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            Address = bound is IPEndPoint ip ? $"tcp://127.0.0.1:{ip.Port}" : options.Address;
        }

        public string Address { get; }

        public SpoolEndpoint Endpoint => SpoolEndpoint.Parse(Address);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static async Task<byte[]> SendRawAsync(string address, byte[] bytes, bool closeWrite = true)
    {
        var endpoint = SpoolEndpoint.Parse(address);
        using var socket = new Socket(endpoint.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.EndPoint, Ct);
        await socket.SendAsync(bytes, Ct);
        if (closeWrite) socket.Shutdown(SocketShutdown.Send);
        var answer = new byte[8];
        int total = 0, read;
        while ((read = await socket.ReceiveAsync(answer.AsMemory(total), Ct)) > 0) total += read;
        return answer[..total];
    }

    [Fact]
    public async Task A_task_sent_over_tcp_is_written_durably_with_priority_and_at_resolved_here()
    {
        using var spool = new TempSpool();
        await using var listener = new Running(new SpoolListenerOptions { Address = "tcp://127.0.0.1:0" }, new Spooler(spool.Path));

        var at = DateTimeOffset.FromUnixTimeSeconds(4102444800);
        await new Spooler(spool.Combine("unused")).EnqueueAsync(Packet(("ud_spool_func", "remote"), ("who", "ada")),
            new SpoolOptions { Spooler = listener.Address, Priority = 3, At = at }, Ct);

        string file = Assert.Single(spool.TaskFiles("3"));
        var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(file, Ct));
        Assert.Equal(["ud_spool_func=remote", "who=ada", "priority=3", "at=4102444800"], packet.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
        Assert.Equal(at.UtcDateTime, File.GetLastWriteTimeUtc(file));
        Assert.False(Directory.Exists(spool.Combine("unused")));
    }

    [Fact]
    public async Task A_unix_socket_works_and_the_generated_stub_path_is_the_same_Enqueue()
    {
        using var spool = new TempSpool();
        string socketPath = spool.Combine("spool.sock");
        await using var listener = new Running(new SpoolListenerOptions { Address = "unix:" + socketPath }, new Spooler(spool.Combine("queue")));

        var task = new Spooler(spool.Combine("local")).Enqueue(Packet(("k", "v")), new SpoolOptions { Spooler = "unix:" + socketPath });

        Assert.Equal("unix:" + socketPath, task.Path);
        Assert.Single(spool.TaskFiles("queue"));
    }

    [Fact]
    public async Task The_remote_refusal_is_a_clear_error_and_nothing_is_written()
    {
        using var spool = new TempSpool();
        await using var listener = new Running(new SpoolListenerOptions { Address = "tcp://127.0.0.1:0" }, new Spooler(spool.Path));

        var ex = await Assert.ThrowsAsync<SpoolRemoteException>(() => SpoolNetworkClient.SendAsync(listener.Endpoint, Packet(("spooler", "/nowhere")), cancellationToken: Ct));
        Assert.Contains("refused the task", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
    }

    [Theory]
    [InlineData("modifier1 0", new byte[] { 0, 5, 0, 0, 1, 0, (byte)'k', 0, 0 })]
    [InlineData("zero key length", new byte[] { 17, 4, 0, 0, 0, 0, 0, 0 })]
    [InlineData("area shorter than announced", new byte[] { 17, 50, 0, 0, 1, 0, (byte)'k' })]
    [InlineData("two bytes", new byte[] { 17, 5 })]
    [InlineData("bad priority", new byte[] { 17, 16, 0, 0, 8, 0, (byte)'p', (byte)'r', (byte)'i', (byte)'o', (byte)'r', (byte)'i', (byte)'t', (byte)'y', 4, 0, (byte)'.', (byte)'.', (byte)'/', (byte)'x' })]
    public async Task Malformed_or_invalid_packets_are_refused_and_write_nothing(string what, byte[] bytes)
    {
        using var spool = new TempSpool();
        await using var listener = new Running(new SpoolListenerOptions { Address = "tcp://127.0.0.1:0" }, new Spooler(spool.Path));

        byte[] answer = await SendRawAsync(listener.Address, bytes);

        Assert.True(answer.SequenceEqual(new byte[] { 0xff, 0, 0, 0 }), $"{what}: answer {Convert.ToHexString(answer)}");
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Bytes_after_the_area_are_ignored_as_uwsgi_does()
    {
        using var spool = new TempSpool();
        await using var listener = new Running(new SpoolListenerOptions { Address = "tcp://127.0.0.1:0" }, new Spooler(spool.Path));
        byte[] packet = SpoolPacketCodec.EncodeFile(Packet(("k", "v")));

        byte[] answer = await SendRawAsync(listener.Address, [.. packet, .. "trailing body"u8.ToArray()]);

        Assert.Equal(new byte[] { 0xff, 0, 0, 1 }, answer);
        Assert.Equal(packet, await File.ReadAllBytesAsync(Assert.Single(spool.TaskFiles()), Ct));
    }

    [Fact]
    public async Task A_slow_client_is_cut_off_and_does_not_block_the_next_one()
    {
        using var spool = new TempSpool();
        var options = new SpoolListenerOptions { Address = "tcp://127.0.0.1:0", ReadTimeout = TimeSpan.FromMilliseconds(300), MaxConnections = 1 };
        await using var listener = new Running(options, new Spooler(spool.Path));
        var endpoint = listener.Endpoint;
        using var slow = new Socket(endpoint.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await slow.ConnectAsync(endpoint.EndPoint, Ct);
        await slow.SendAsync(new byte[] { 17, 10, 0 }, Ct); // never finishes its header

        await SpoolNetworkClient.SendAsync(endpoint, Packet(("k", "after the slow one")), TimeSpan.FromSeconds(10), Ct);

        var answer = new byte[4];
        int read = await slow.ReceiveAsync(answer, Ct);
        Assert.Equal(new byte[] { 0xff, 0, 0, 0 }, answer[..read]);
        Assert.Single(spool.TaskFiles());
    }

    [Fact]
    public async Task A_client_outside_the_allowed_networks_gets_no_answer_and_writes_nothing()
    {
        using var spool = new TempSpool();
        var options = new SpoolListenerOptions { Address = "tcp://127.0.0.1:0", AllowedNetworks = [IPNetwork.Parse("10.0.0.0/8")] };
        await using var listener = new Running(options, new Spooler(spool.Path));

        var ex = await Assert.ThrowsAsync<SpoolRemoteException>(() => SpoolNetworkClient.SendAsync(listener.Endpoint, Packet(("k", "v")), cancellationToken: Ct));
        Assert.Contains("closed the connection without answering", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
    }

    [Fact]
    public void Listening_beyond_loopback_needs_AllowRemote()
    {
        using var spool = new TempSpool();
        var ex = Assert.Throws<ArgumentException>(() => new SpoolListener(new SpoolListenerOptions { Address = "tcp://0.0.0.0:10001" }, new Spooler(spool.Path)));
        Assert.Contains("AllowRemote", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://")]
    [InlineData("tcp://host")]
    [InlineData("tcp://127.0.0.1:70000")]
    [InlineData("http://127.0.0.1:80")]
    [InlineData("unix:")]
    public void Bad_addresses_show_the_accepted_forms(string address)
        => Assert.Contains("tcp://HOST:PORT", Assert.Throws<ArgumentException>(() => SpoolEndpoint.Parse(address)).Message, StringComparison.Ordinal);

    [Fact]
    public async Task A_body_cannot_be_sent_and_nothing_is_sent()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => SpoolNetworkClient.SendAsync(SpoolEndpoint.Parse("tcp://127.0.0.1:9"),
            Packet(("k", "v")).WithBody(new byte[] { 1 }), cancellationToken: Ct));
        Assert.Contains("body", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_listening_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<SpoolRemoteException>(() => SpoolNetworkClient.SendAsync(SpoolEndpoint.Parse("tcp://127.0.0.1:9"), Packet(("k", "v")), cancellationToken: Ct));
        Assert.StartsWith("Spool tcp://127.0.0.1:9:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generated_async_stubs_send_to_a_network_spool_without_any_local_spool()
    {
        using var spool = new TempSpool();
        await using var listener = new Running(new SpoolListenerOptions { Address = "tcp://127.0.0.1:0" }, new Spooler(spool.Path));

        var task = await TypedSpool.Tests.Tasks.UserMailTasks.Spool.SendMailAsync("ada@example.com", "Remote",
            new SpoolOptions { Spooler = listener.Address, Priority = 1 }, Ct);

        Assert.Equal(listener.Address, task.Path);
        var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(Assert.Single(spool.TaskFiles("1")), Ct));
        Assert.Equal(["ud_spool_func=inprocess.send", "ud_spool_ret=-2", "to=ada@example.com", "subject=Remote", "priority=1"],
            packet.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
    }
}
