using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TypedSpool.Format;
using TypedSpool.Network;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>Network spooling against real uWSGI 2.0.21 (spooler plugin) and a uwsgi-protocol client written in Python.</summary>
public class NetworkInteropTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Real_uwsgi_accepts_tasks_from_our_client_and_refuses_an_unknown_spooler()
    {
        if (UwsgiInstance.UnavailableReason is { } reason) Assert.Skip(reason);
        using var spool = new TempSpool("uwsgi-net");
        using var work = new TempSpool("uwsgi-net-work");
        int port = FreePort();
        using var uwsgi = UwsgiInstance.Start(["--plugin", "spooler", "--master", "--socket", $"127.0.0.1:{port}", "--spooler-external", spool.Path],
            work.Combine("uwsgi.log"));
        var endpoint = SpoolEndpoint.Parse($"tcp://127.0.0.1:{port}");
        var packet = SpoolPacket.FromText([new("ud_spool_func", "net_task"), new("who", "wörld"), new("priority", "3")]);

        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await SpoolNetworkClient.SendAsync(endpoint, packet, cancellationToken: Token);
                break;
            }
            catch (SpoolRemoteException ex) when (ex.InnerException is SocketException && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                Assert.False(uwsgi.HasExited, "uwsgi exited:\n" + uwsgi.ReadLog());
                await Task.Delay(100, Token); // not listening yet
            }
        }

        string file = Assert.Single(spool.TaskFiles("3"));
        Assert.Equal(SpoolPacketCodec.EncodeFile(packet), await File.ReadAllBytesAsync(file, Token));

        var refused = await Assert.ThrowsAsync<SpoolRemoteException>(() =>
            SpoolNetworkClient.SendAsync(endpoint, SpoolPacket.FromText([new("spooler", "/nonexistent/spool")]), cancellationToken: Token));
        Assert.Contains("refused the task", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_listener_accepts_a_uwsgi_protocol_client_and_stores_what_uwsgi_would()
    {
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        using var spool = new TempSpool("listener");
        using var stop = new CancellationTokenSource();
        var listener = new SpoolListener(new SpoolListenerOptions { Address = "tcp://127.0.0.1:0" }, new Spooler(spool.Path));
        var running = listener.RunAsync(stop.Token);
        int port = ((IPEndPoint)await listener.Bound.WaitAsync(TimeSpan.FromSeconds(10), Token)).Port;
        string script = Path.Combine(Fixtures.RepositoryRoot, "tests/TypedSpool.IntegrationTests/Python/send_uwsgi_packet.py");

        using var ok = ChildProcess.Start(python, [script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "task=plain", "priority=2", "note=ü"]);
        Assert.Equal(0, await ok.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        using var bad = ChildProcess.Start(python, [script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "priority=../x"]);
        Assert.Equal(0, await bad.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Equal("ff000001", ok.StandardOutput.Trim());
        Assert.Equal("ff000000", bad.StandardOutput.Trim());
        var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(Assert.Single(spool.TaskFiles("2")), Token));
        Assert.Equal(["task=plain", "priority=2", "note=ü"], packet.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
        Assert.Empty(spool.TaskFiles());
    }
}
