using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Format;
using TypedSpool.Network;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// A keyed network listener under a flood of abusive connections at once — idle, trickling, oversize, malformed,
/// unsigned — while honest signed clients keep sending. (Each abuse alone is unit-tested in TypedSpool.Tests'
/// NetworkSpoolTests and NetworkExtensionTests; this is them together, against MaxConnections.) Nothing the abusers
/// send may be written, and every honest task must be accepted.
/// </summary>
public sealed class ListenerAbuseTests
{
    private static readonly byte[] s_key = Encoding.ASCII.GetBytes("fault-suite key, thirty-two byte");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_flood_of_hostile_connections_writes_nothing_and_honest_clients_are_still_served()
    {
        using var spool = new TempSpool("fault-listener");
        var listener = new SpoolListener(new SpoolListenerOptions
        {
            Address = "tcp://127.0.0.1:0",
            MaxConnections = 16,
            ReadTimeout = TimeSpan.FromMilliseconds(500),
            AcceptBody = true,
            MaxBodySize = 1 << 20,
            Auth = new SpoolNetworkAuth(s_key),
        }, new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None }));
        using var stop = new CancellationTokenSource();
        var running = listener.RunAsync(stop.Token);
        var endpoint = SpoolEndpoint.Parse($"tcp://127.0.0.1:{((IPEndPoint)await listener.Bound.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Port}");
        var random = new Random(13);

        byte[] unsigned = SpoolPacketCodec.EncodeFile(SpoolPacket.FromText([new("id", "unsigned")]));
        byte[] oversize = new byte[4 + 65535];
        random.NextBytes(oversize);
        oversize[0] = 17; oversize[1] = 0xff; oversize[2] = 0xff; oversize[3] = 0;
        byte[] hugeBody = SpoolPacketCodec.EncodeFile(SpoolPacket.FromText([new("id", "huge"), new(SpoolNetworkAuth.BodyLengthKey, "999999999999")]));

        var clock = Stopwatch.StartNew();
        var abuse = new List<Task<string>>();
        for (int i = 0; i < 60; i++) abuse.Add(AbuseAsync(endpoint, "idle", async s => await Task.Delay(2000, Ct)));
        for (int i = 0; i < 40; i++) abuse.Add(AbuseAsync(endpoint, "trickle", async s =>
        {
            foreach (byte b in unsigned) { await s.SendAsync(new[] { b }, Ct); await Task.Delay(100, Ct); }
        }));
        for (int i = 0; i < 40; i++) abuse.Add(AbuseAsync(endpoint, "oversize", async s => await s.SendAsync(oversize, Ct)));
        for (int i = 0; i < 40; i++) abuse.Add(AbuseAsync(endpoint, "unsigned", async s => await s.SendAsync(unsigned, Ct)));
        for (int i = 0; i < 20; i++) abuse.Add(AbuseAsync(endpoint, "huge-body", async s => await s.SendAsync(hugeBody, Ct)));

        var client = new SpoolNetworkClientOptions { Auth = new SpoolNetworkAuth(s_key), Timeout = TimeSpan.FromSeconds(15) };
        var honest = Enumerable.Range(0, 30).Select(async i =>
        {
            await Task.Delay(i * 50, Ct);
            await SpoolNetworkClient.SendAsync(endpoint, SpoolPacket.FromText([new("id", "honest-" + i)]), client, Ct);
        }).ToList();
        await Task.WhenAll(honest);
        var outcomes = await Task.WhenAll(abuse);
        var honestTime = clock.Elapsed;

        // Still serving after the flood.
        await SpoolNetworkClient.SendAsync(endpoint, SpoolPacket.FromText([new("id", "after")]), client, Ct);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var ids = spool.TaskFiles().Select(f => SpoolPacketCodec.Decode(File.ReadAllBytes(f)).GetText("id")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => "honest-" + i).Append("after").Order(StringComparer.Ordinal), ids);
        Assert.All(outcomes, o => Assert.DoesNotContain("accepted", o, StringComparison.Ordinal));
        Assert.True(honestTime < TimeSpan.FromSeconds(20), $"the flood held honest clients up for {honestTime}");
        string tally = string.Join(", ", outcomes.GroupBy(o => o).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{tally}; honest clients done in {honestTime.TotalSeconds:0.0} s");
        FaultSummary.Add(new FaultRow("7 listener flood (200 hostile connections)", 200, 31, 31, 0, 0, 0,
            $"nothing written for hostile ones; 30 signed tasks in {honestTime.TotalSeconds:0.0} s"));
    }

    /// <summary>Connects, misbehaves, and reports how the listener answered: "kind: refused", "kind: closed" or "kind: accepted".</summary>
    private static async Task<string> AbuseAsync(SpoolEndpoint endpoint, string kind, Func<Socket, Task> misbehave)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint.EndPoint, Ct);
            var answer = new byte[4];
            var receive = socket.ReceiveAsync(answer, Ct).AsTask();
            try
            {
                await misbehave(socket);
            }
            catch (SocketException)
            {
                // The listener gave up on us mid-send: that is the point.
            }
            int read = await receive.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            return read == 4 && answer[3] == 1 ? $"{kind}: accepted" : read == 4 ? $"{kind}: refused" : $"{kind}: closed";
        }
        catch (SocketException)
        {
            return $"{kind}: reset";
        }
    }
}
