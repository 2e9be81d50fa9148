using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TypedSpool.Format;
using TypedSpool.Network;
using TypedSpool.Testing;

namespace TypedSpool.Hosting.Tests;

/// <summary>Network listeners configured on the host.</summary>
[Collection(nameof(HostingTests))]
public class ListenerHostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTypedSpool(builder.Configuration);
        return builder.Build();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_configured_listener_writes_received_tasks_into_its_spool()
    {
        using var main = new TempSpool("main");
        using var inbox = new TempSpool("inbox");
        int port = FreePort();
        using var host = Build(new()
        {
            ["TypedSpool:RunWorkers"] = "false",
            ["TypedSpool:Default"] = "main",
            ["TypedSpool:Spoolers:main:Directory"] = main.Path,
            ["TypedSpool:Spoolers:inbox:Directory"] = inbox.Path,
            ["TypedSpool:Listeners:0:Address"] = $"tcp://127.0.0.1:{port}",
            ["TypedSpool:Listeners:0:Spooler"] = "inbox",
        });
        await host.StartAsync(Ct);
        try
        {
            await SpoolNetworkClient.SendAsync(SpoolEndpoint.Parse($"tcp://127.0.0.1:{port}"), SpoolPacket.FromText([new("task", "remote")]), cancellationToken: Ct);
            Assert.Single(inbox.TaskFiles());
            Assert.Empty(main.TaskFiles());
        }
        finally
        {
            await host.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task Invalid_listener_options_stop_the_host_naming_them()
    {
        using var spool = new TempSpool();
        using var host = Build(new()
        {
            ["TypedSpool:Spoolers:default:Directory"] = spool.Path,
            ["TypedSpool:Listeners:0:Address"] = "tcp://0.0.0.0:10001",
            ["TypedSpool:Listeners:1:Address"] = "tcp://127.0.0.1:10002",
            ["TypedSpool:Listeners:1:AllowedNetworks:0"] = "not-a-network",
            ["TypedSpool:Listeners:1:Spooler"] = "nope",
        });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains(ex.Failures, f => f.StartsWith("TypedSpool:Listeners:0:", StringComparison.Ordinal) && f.Contains("AllowRemote", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("TypedSpool:Listeners:1:", StringComparison.Ordinal) && f.Contains("CIDR", StringComparison.Ordinal));
        Assert.Contains("TypedSpool:Listeners:1:Spooler names 'nope', which is not one of TypedSpool:Spoolers.", ex.Failures);
    }

    [Fact]
    public async Task A_listener_that_cannot_bind_stops_the_host_at_start()
    {
        using var spool = new TempSpool();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var host = Build(new()
        {
            ["TypedSpool:RunWorkers"] = "false",
            ["TypedSpool:Spoolers:default:Directory"] = spool.Path,
            ["TypedSpool:Listeners:0:Address"] = $"tcp://127.0.0.1:{port}",
        });
        await Assert.ThrowsAsync<SocketException>(() => host.StartAsync(Ct));
    }
}
