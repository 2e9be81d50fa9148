using System.Net;
using System.Net.Sockets;
using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary><c>typedspool listen</c> and <c>typedspool send</c> to it, as real processes on loopback.</summary>
public class CliNetworkTests
{
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Send_to_a_listening_tool_writes_the_task_into_its_spool()
    {
        using var spool = new TempSpool("cli-net");
        int port = FreePort();
        string address = $"tcp://127.0.0.1:{port}";
        using var listener = ChildProcess.StartDotnet("TypedSpool.Cli", ["listen", "--spool", spool.Path, "--address", address]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!listener.StandardOutput.Contains("listening on", StringComparison.Ordinal))
        {
            Assert.False(listener.Process.HasExited, "listen exited: " + listener.StandardError);
            Assert.True(DateTime.UtcNow < deadline, "listen did not start: " + listener.StandardError);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var sent = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["send", "--spool", address, "--priority", "4", "task=remote", "who=wörld"]);
        var refused = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["send", "--spool", address, "priority=../x"]);
        var nobody = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["send", "--spool", $"tcp://127.0.0.1:{FreePort()}", "a=b"]);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Equal($"sent to {address}", sent.Stdout.Trim());
        var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(Assert.Single(spool.TaskFiles("4")), TestContext.Current.CancellationToken));
        Assert.Equal(["task=remote", "who=wörld", "priority=4"], packet.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("refused the task", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, nobody.ExitCode);
        Assert.Single(nobody.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Listen_on_a_public_address_without_allow_remote_is_refused_in_one_line()
    {
        using var spool = new TempSpool("cli-net-bad");
        var result = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["listen", "--spool", spool.Path, "--address", "tcp://0.0.0.0:10001"]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("typedspool: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("AllowRemote", result.Stderr, StringComparison.Ordinal);
    }
}
