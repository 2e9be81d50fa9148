using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary><c>typedspool requeue</c>, <c>hold</c> and <c>rm</c> as processes: they respect locks and never lose a task.</summary>
public class CliRepairTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requeue_hold_and_rm_move_tasks_under_the_lock_and_refuse_a_running_one()
    {
        using var spool = new TempSpool("repair");
        Directory.CreateDirectory(spool.Combine("dead"));
        string deadPath = spool.Combine("dead", "uwsgi_spoolfile_on_h_1_1_1_1_1");
        await File.WriteAllBytesAsync(deadPath, SpoolPacketCodec.EncodeFile(SpoolPacket.FromText(
            [new("ud_spool_func", "failed.task"), new("priority", "2"), new("typedspool_attempt", "10")])), Token);
        await File.WriteAllTextAsync(deadPath + ".reason.json", "{}", Token);
        string queued = new Spooler(spool.Path).Enqueue(SpoolPacket.FromText([new("ud_spool_func", "queued.task")])).Path;

        var requeue = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["requeue", "--reset-attempts", deadPath]);
        Assert.True(requeue.ExitCode == 0, requeue.Stderr);
        string requeued = spool.Combine("2", "uwsgi_spoolfile_on_h_1_1_1_1_1"); // back in its priority directory
        Assert.Equal(requeued, requeue.Stdout.Trim());
        Assert.False(File.Exists(deadPath));
        Assert.False(File.Exists(deadPath + ".reason.json"));
        var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(requeued, Token));
        Assert.Null(packet.GetText(SpoolKeys.Attempt));
        Assert.Equal("failed.task", packet.GetText(SpoolKeys.TaskName));
        Assert.True(File.GetLastWriteTimeUtc(requeued) <= DateTime.UtcNow.AddSeconds(1), "a requeued task is due now");

        var hold = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["hold", queued]);
        Assert.True(hold.ExitCode == 0, hold.Stderr);
        string held = spool.Combine("held", Path.GetFileName(queued));
        Assert.True(File.Exists(held));
        Assert.False(File.Exists(queued));

        // A task a worker is running (a POSIX lock held by another process) is left alone.
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        using var holder = ChildProcess.Start(python, [Path.Combine(Fixtures.RepositoryRoot, "tests/TypedSpool.IntegrationTests/Python/hold_posix_lock.py"), requeued]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!holder.StandardOutput.Contains("locked", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !holder.Process.HasExited, "the lock holder did not start: " + holder.StandardError);
            await Task.Delay(50, Token);
        }
        var busy = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["rm", requeued]);
        holder.Process.StandardInput.WriteLine();
        await holder.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, busy.ExitCode);
        Assert.Contains("running in a worker", busy.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(requeued));

        var rm = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["rm", requeued]);
        Assert.True(rm.ExitCode == 0, rm.Stderr);
        Assert.False(File.Exists(requeued));

        var notParked = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["requeue", held.Replace("/held/", "/", StringComparison.Ordinal)]);
        Assert.Equal(1, notParked.ExitCode);
        var badAt = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["requeue", "--at", "soon", held]);
        Assert.Equal(1, badAt.ExitCode);
        Assert.Contains("--at 'soon'", badAt.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(held)); // nothing moved
        var missing = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["rm", spool.Combine("uwsgi_spoolfile_on_h_9_9_9_9_9")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Single(missing.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Purge_is_a_dry_run_unless_yes_and_deletes_only_what_matches()
    {
        using var spool = new TempSpool("purge");
        var spooler = new Spooler(spool.Path);
        string keep = spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "keep.task")])).Path;
        string old1 = spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "old.task")])).Path;
        string old2 = spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "old.task")]), new SpoolOptions { Priority = 3 }).Path;
        File.SetLastWriteTimeUtc(old1, DateTime.UtcNow.AddDays(-3));
        File.SetLastWriteTimeUtc(old2, DateTime.UtcNow.AddDays(-3));

        var dry = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["purge", "--spool", spool.Path, "--task", "old.task", "--older-than-hours", "24"]);
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Contains("dry run: 2 task(s) would be deleted", dry.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(old1) && File.Exists(old2) && File.Exists(keep));

        var real = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["purge", "--spool", spool.Path, "--task", "old.task", "--older-than-hours", "24", "--yes"]);
        Assert.True(real.ExitCode == 0, real.Stderr);
        Assert.Contains("deleted 2 task(s)", real.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(old1) || File.Exists(old2));
        Assert.True(File.Exists(keep));
    }

    [Fact]
    public async Task Show_says_why_a_task_is_dead_and_body_writes_the_raw_body()
    {
        using var spool = new TempSpool("show-why");
        Directory.CreateDirectory(spool.Combine("dead"));
        string dead = spool.Combine("dead", "uwsgi_spoolfile_on_h_1_1_1_1_1");
        byte[] body = [0, 1, 2, 255];
        await File.WriteAllBytesAsync(dead, SpoolPacketCodec.EncodeFile(SpoolPacket.FromText([new("ud_spool_func", "t")]).WithBody(body)), Token);
        await File.WriteAllTextAsync(dead + ".reason.json", "{\"kind\":\"dead-letter\",\"attempt\":10}", Token);

        var json = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["show", "--json", dead]);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.Equal("dead-letter", doc.RootElement.GetProperty("reason").GetProperty("kind").GetString());
        Assert.Equal(10, doc.RootElement.GetProperty("reason").GetProperty("attempt").GetInt32());

        using var raw = ChildProcess.Start("sh", ["-c", $"dotnet '{Path.Combine(AppContext.BaseDirectory, "TypedSpool.Cli.dll")}' show --body '{dead}' | od -An -tx1"]);
        Assert.Equal(0, await raw.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("00 01 02 ff", raw.StandardOutput.Trim());
    }
}
