using System.Net;
using System.Text;
using TypedSpool.Format;
using TypedSpool.Network;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Network;

/// <summary>TypedSpool's opt-in network extensions: a body after the packet, and HMAC authentication with a replay window.</summary>
public class NetworkExtensionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] s_key = Encoding.ASCII.GetBytes("a shared key of 32 bytes, really");

    private static async Task<(Task Run, string Address, CancellationTokenSource Stop)> StartAsync(string directory, SpoolListenerOptions options)
    {
        var stop = new CancellationTokenSource();
        var listener = new SpoolListener(options, new Spooler(directory));
        var run = listener.RunAsync(stop.Token);
        var bound = (IPEndPoint)await listener.Bound.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return (run, $"tcp://127.0.0.1:{bound.Port}", stop);
    }

    private static SpoolPacket Packet() => SpoolPacket.FromText([new("ud_spool_func", "secure"), new("who", "ada")]);

    [Fact]
    public async Task A_signed_task_with_a_body_is_stored_without_the_extension_keys()
    {
        using var spool = new TempSpool();
        var (run, address, stop) = await StartAsync(spool.Path, new SpoolListenerOptions
        {
            Address = "tcp://127.0.0.1:0",
            AcceptBody = true,
            Auth = new SpoolNetworkAuth(s_key),
        });
        var body = new byte[200_000];
        new Random(3).NextBytes(body);

        await SpoolNetworkClient.SendAsync(SpoolEndpoint.Parse(address), Packet().WithBody(body),
            new SpoolNetworkClientOptions { SendBody = true, Auth = new SpoolNetworkAuth(s_key) }, Ct);
        await stop.CancelAsync();
        await run;

        var stored = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(Assert.Single(spool.TaskFiles()), Ct));
        Assert.Equal(["ud_spool_func=secure", "who=ada"], stored.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
        Assert.Equal(body, stored.Body.ToArray());
    }

    [Fact]
    public async Task A_keyed_listener_refuses_unsigned_wrongly_signed_and_replayed_packets()
    {
        using var spool = new TempSpool();
        var listenerAuth = new SpoolNetworkAuth(s_key);
        var (run, address, stop) = await StartAsync(spool.Path, new SpoolListenerOptions { Address = "tcp://127.0.0.1:0", Auth = listenerAuth });
        var endpoint = SpoolEndpoint.Parse(address);

        await Assert.ThrowsAsync<SpoolRemoteException>(() => SpoolNetworkClient.SendAsync(endpoint, Packet(), cancellationToken: Ct));
        await Assert.ThrowsAsync<SpoolRemoteException>(() => SpoolNetworkClient.SendAsync(endpoint, Packet(),
            new SpoolNetworkClientOptions { Auth = new SpoolNetworkAuth(Encoding.ASCII.GetBytes("another key, also 32 bytes long!")) }, Ct));
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));

        // A captured packet sent twice: the first is accepted, the replay refused.
        var signed = new SpoolNetworkAuth(s_key).Sign(Packet(), default, DateTimeOffset.UtcNow);
        await SpoolNetworkClient.SendAsync(endpoint, signed, cancellationToken: Ct);
        await Assert.ThrowsAsync<SpoolRemoteException>(() => SpoolNetworkClient.SendAsync(endpoint, signed, cancellationToken: Ct));
        await stop.CancelAsync();
        await run;
        Assert.Single(spool.TaskFiles());
    }

    [Fact]
    public void Verification_rejects_tampering_and_stale_timestamps_and_says_why()
    {
        var auth = new SpoolNetworkAuth(s_key, TimeSpan.FromSeconds(30));
        var now = DateTimeOffset.FromUnixTimeSeconds(2_000_000_000);
        var signed = auth.Sign(Packet(), default, now);

        var tampered = new SpoolPacket([SpoolPair.FromText("ud_spool_func", "secure"), SpoolPair.FromText("who", "eve"), signed.Pairs[^1]]);
        Assert.Null(auth.Verify(tampered, default, now, out string why));
        Assert.Contains("signature", why, StringComparison.Ordinal);
        Assert.Null(auth.Verify(signed, default, now.AddMinutes(5), out why));
        Assert.Contains("timestamp", why, StringComparison.Ordinal);
        Assert.NotNull(auth.Verify(signed, default, now.AddSeconds(10), out _));
        Assert.Throws<ArgumentException>(() => new SpoolNetworkAuth(new byte[8]));
    }

    [Fact]
    public async Task A_body_is_refused_by_a_listener_that_does_not_accept_bodies()
    {
        using var spool = new TempSpool();
        var (run, address, stop) = await StartAsync(spool.Path, new SpoolListenerOptions { Address = "tcp://127.0.0.1:0" });

        var ex = await Assert.ThrowsAsync<SpoolRemoteException>(() => SpoolNetworkClient.SendAsync(SpoolEndpoint.Parse(address),
            Packet().WithBody(new byte[] { 1, 2, 3 }), new SpoolNetworkClientOptions { SendBody = true }, Ct));
        await stop.CancelAsync();
        await run;
        Assert.Contains("refused", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
    }

    [Fact]
    public async Task A_body_over_MaxBodySize_is_refused_before_it_is_read()
    {
        using var spool = new TempSpool();
        var (run, address, stop) = await StartAsync(spool.Path, new SpoolListenerOptions { Address = "tcp://127.0.0.1:0", AcceptBody = true, MaxBodySize = 1000 });

        await Assert.ThrowsAsync<SpoolRemoteException>(() => SpoolNetworkClient.SendAsync(SpoolEndpoint.Parse(address),
            Packet().WithBody(new byte[1001]), new SpoolNetworkClientOptions { SendBody = true }, Ct));
        await SpoolNetworkClient.SendAsync(SpoolEndpoint.Parse(address), Packet().WithBody(new byte[1000]), new SpoolNetworkClientOptions { SendBody = true }, Ct);
        await stop.CancelAsync();
        await run;
        Assert.Equal(1000, SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(Assert.Single(spool.TaskFiles()), Ct)).Body.Length);
    }
}
