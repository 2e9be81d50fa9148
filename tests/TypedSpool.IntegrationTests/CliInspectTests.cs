using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary><c>typedspool ls</c> and <c>stats</c> as processes, on a spool holding every state a task can be in.</summary>
public class CliInspectTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ls_and_stats_report_every_state_without_touching_the_files()
    {
        using var spool = new TempSpool("inspect");
        var spooler = new Spooler(spool.Path);
        string due = spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "due.task")])).Path;
        spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "later.task")]), new SpoolOptions { At = DateTimeOffset.UtcNow.AddHours(1) });
        spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "urgent.task")]), new SpoolOptions { Priority = 1 });
        string locked = spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "running.task")])).Path;
        Directory.CreateDirectory(spool.Combine("dead"));
        File.WriteAllBytes(spool.Combine("dead", "uwsgi_spoolfile_on_h_1_1_1_1_1"), SpoolPacketCodec.EncodeFile(SpoolPacket.FromText([new("ud_spool_func", "dead.task"), new("typedspool_attempt", "10")])));
        File.WriteAllText(spool.Combine("dead", "uwsgi_spoolfile_on_h_1_1_1_1_1.reason.json"), "{}");
        Directory.CreateDirectory(spool.Combine("quarantine"));
        File.WriteAllBytes(spool.Combine("quarantine", "uwsgi_spoolfile_on_h_2_2_2_2_2"), [17, 100, 0, 0]);
        byte[] before = await File.ReadAllBytesAsync(due, Token);

        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        using var holder = ChildProcess.Start(python, [Path.Combine(Fixtures.RepositoryRoot, "tests/TypedSpool.IntegrationTests/Python/hold_posix_lock.py"), locked]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!holder.StandardOutput.Contains("locked", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !holder.Process.HasExited, "the lock holder did not start: " + holder.StandardError);
            await Task.Delay(50, Token);
        }

        var ls = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["ls", "--spool", spool.Path, "--json"]);
        var stats = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["stats", "--spool", spool.Path, "--json"]);
        var deadOnly = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["ls", "--spool", spool.Path, "--state", "Dead", "--json"]);
        var missing = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["ls", "--spool", spool.Combine("nope")]);
        holder.Process.StandardInput.WriteLine();

        Assert.True(ls.ExitCode == 0, ls.Stderr);
        using var entries = JsonDocument.Parse(ls.Stdout);
        var states = entries.RootElement.EnumerateArray().ToDictionary(
            e => e.GetProperty("task").GetString() ?? "(none)", e => e.GetProperty("state").GetString());
        Assert.Equal("Due", states["due.task"]);
        Assert.Equal("Scheduled", states["later.task"]);
        Assert.Equal("Due", states["urgent.task"]);
        Assert.Equal("Locked", states["running.task"]);
        Assert.Equal("Dead", states["dead.task"]);
        Assert.Equal("Quarantined", states["(none)"]);
        Assert.Equal(6, entries.RootElement.GetArrayLength()); // the .reason.json note is not a task
        var dead = entries.RootElement.EnumerateArray().Single(e => e.GetProperty("task").GetString() == "dead.task");
        Assert.Equal(10, dead.GetProperty("attempt").GetInt32());
        Assert.Contains("AreaOverrunsFile", entries.RootElement.EnumerateArray().Single(e => e.GetProperty("state").GetString() == "Quarantined").GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, entries.RootElement.EnumerateArray().Single(e => e.GetProperty("task").GetString() == "urgent.task").GetProperty("priority").GetInt32());

        using var statsJson = JsonDocument.Parse(stats.Stdout);
        Assert.Equal(6, statsJson.RootElement.GetProperty("total").GetInt32());
        Assert.Single(JsonDocument.Parse(deadOnly.Stdout).RootElement.EnumerateArray());
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("", missing.Stdout);
        Assert.Equal(before, await File.ReadAllBytesAsync(due, Token)); // read-only
    }

    [Fact]
    public async Task Stats_watch_refreshes_until_interrupted_and_sees_new_tasks()
    {
        using var spool = new TempSpool("watch");
        new Spooler(spool.Path).Enqueue(SpoolPacket.FromText([new("ud_spool_func", "first")]));
        using var watch = ChildProcess.StartDotnet("TypedSpool.Cli", ["stats", "--spool", spool.Path, "--watch", "0.2"]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!watch.StandardOutput.Contains("1 task files", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !watch.Process.HasExited, "no first refresh: " + watch.StandardError);
            await Task.Delay(50, Token);
        }
        new Spooler(spool.Path).Enqueue(SpoolPacket.FromText([new("ud_spool_func", "second")]));
        while (!watch.StandardOutput.Contains("2 task files", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !watch.Process.HasExited, "the new task never showed: " + watch.StandardOutput);
            await Task.Delay(50, Token);
        }
        Assert.False(watch.Process.HasExited);

        var bad = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["stats", "--spool", spool.Path, "--watch", "0"]);
        Assert.Equal(1, bad.ExitCode);
    }
}
