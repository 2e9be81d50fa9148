using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// The tool as an operator uses it on a busy spool: tasks named by file name with --spool, many selected by filter,
/// hold and release, sorting, and terminal output (colours, tables, progress) only on a terminal.
/// </summary>
public class CliSelectionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<(int ExitCode, string Stdout, string Stderr)> Tool(params string[] arguments) =>
        ChildProcess.RunDotnetAsync("TypedSpool.Cli", arguments);

    [Fact]
    public async Task Hold_and_release_by_filter_and_by_file_name_keep_due_times_and_never_pause_a_spool_by_accident()
    {
        using var spool = new TempSpool("hold-release");
        var spooler = new Spooler(spool.Path);
        var mails = Enumerable.Range(0, 3).Select(i => spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "mail"), new("n", $"{i}")]),
            new SpoolOptions { Priority = 2 }).Path).ToList();
        string report = spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "report")])).Path;
        var due = DateTime.UtcNow.AddHours(5);
        File.SetLastWriteTimeUtc(mails[0], due); // a scheduled task stays scheduled through hold and release

        var refused = await Tool("hold", "--spool", spool.Path);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--all", refused.Stderr, StringComparison.Ordinal);
        Assert.True(mails.All(File.Exists) && File.Exists(report), "a refused hold moves nothing");

        var hold = await Tool("hold", "--spool", spool.Path, "--task", "mail");
        Assert.True(hold.ExitCode == 0, hold.Stderr);
        Assert.Contains("held 3 task(s)", hold.Stdout, StringComparison.Ordinal);
        Assert.True(mails.All(m => !File.Exists(m)) && File.Exists(report));
        string held0 = spool.Combine("held", Path.GetFileName(mails[0]));
        Assert.Equal(due, File.GetLastWriteTimeUtc(held0), TimeSpan.FromSeconds(1));

        using (var listing = JsonDocument.Parse((await Tool("ls", "--spool", spool.Path, "--state", "Held", "--json")).Stdout))
        {
            Assert.Equal(3, listing.RootElement.GetArrayLength());
            Assert.All(listing.RootElement.EnumerateArray(), e => Assert.Equal("mail", e.GetProperty("task").GetString()));
        }

        // One by its file name, as ls prints it: back into its priority directory, still due in five hours.
        var one = await Tool("release", "--spool", spool.Path, Path.GetFileName(mails[0]));
        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.Equal(mails[0], one.Stdout.Trim());
        Assert.Equal(due, File.GetLastWriteTimeUtc(mails[0]), TimeSpan.FromSeconds(1));

        var rest = await Tool("release", "--spool", spool.Path);
        Assert.True(rest.ExitCode == 0, rest.Stderr);
        Assert.Contains("released 2 task(s)", rest.Stdout, StringComparison.Ordinal);
        Assert.True(mails.All(File.Exists));
        Assert.Empty(Directory.GetFiles(spool.Combine("held")));

        // release only takes held tasks; a queued one named by path is refused and stays.
        var notHeld = await Tool("release", report);
        Assert.Equal(1, notHeld.ExitCode);
        Assert.Contains("is not in held/", notHeld.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(report));
    }

    [Fact]
    public async Task Retry_requeues_every_dead_task_that_matches_and_names_resolve_inside_the_spool()
    {
        using var spool = new TempSpool("retry-all");
        Directory.CreateDirectory(spool.Combine("dead"));
        for (int i = 0; i < 4; i++)
        {
            string task = i < 3 ? "charge" : "notify";
            await File.WriteAllBytesAsync(spool.Combine("dead", $"uwsgi_spoolfile_on_h_1_1_{i}_1_1"), SpoolPacketCodec.EncodeFile(SpoolPacket.FromText(
                [new("ud_spool_func", task), new("typedspool_attempt", "10")])), Token);
        }

        var shown = await Tool("show", "--spool", spool.Path, "uwsgi_spoolfile_on_h_1_1_3_1_1");
        Assert.True(shown.ExitCode == 0, shown.Stderr);
        Assert.Contains("ud_spool_func = notify", shown.Stdout, StringComparison.Ordinal);

        var wrongState = await Tool("requeue", "--spool", spool.Path, "--state", "Due");
        Assert.Equal(1, wrongState.ExitCode);
        Assert.Single(wrongState.Stderr.Trim().Split('\n'));

        var both = await Tool("retry", "--spool", spool.Path, "--task", "charge", "uwsgi_spoolfile_on_h_1_1_3_1_1");
        Assert.Equal(1, both.ExitCode); // names or filters, not both
        Assert.Equal(4, Directory.GetFiles(spool.Combine("dead")).Length);

        var retry = await Tool("retry", "--spool", spool.Path, "--task", "charge", "--reset-attempts");
        Assert.True(retry.ExitCode == 0, retry.Stderr);
        Assert.Contains("requeued 3 task(s)", retry.Stdout, StringComparison.Ordinal);
        for (int i = 0; i < 3; i++)
        {
            var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(spool.Combine($"uwsgi_spoolfile_on_h_1_1_{i}_1_1"), Token));
            Assert.Null(packet.GetText(SpoolKeys.Attempt));
        }
        Assert.Equal([spool.Combine("dead", "uwsgi_spoolfile_on_h_1_1_3_1_1")], Directory.GetFiles(spool.Combine("dead")));

        var rm = await Tool("rm", "--spool", spool.Path, "uwsgi_spoolfile_on_h_1_1_3_1_1", "uwsgi_spoolfile_on_h_1_1_0_1_1");
        Assert.True(rm.ExitCode == 0, rm.Stderr);
        Assert.False(File.Exists(spool.Combine("dead", "uwsgi_spoolfile_on_h_1_1_3_1_1")));
        Assert.False(File.Exists(spool.Combine("uwsgi_spoolfile_on_h_1_1_0_1_1")));

        var missing = await Tool("show", "--spool", spool.Path, "uwsgi_spoolfile_on_h_9_9_9_9_9");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("No task file 'uwsgi_spoolfile_on_h_9_9_9_9_9'", missing.Stderr, StringComparison.Ordinal);
        var noSpool = await Tool("show", "uwsgi_spoolfile_on_h_9_9_9_9_9");
        Assert.Equal(1, noSpool.ExitCode);
        Assert.Contains("--spool", noSpool.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_selections_get_one_clear_line_and_change_nothing()
    {
        using var spool = new TempSpool("bad-selection");
        string task = new Spooler(spool.Path).Enqueue(SpoolPacket.FromText([new("ud_spool_func", "keep")])).Path;
        File.SetLastWriteTimeUtc(task, DateTime.UtcNow.AddDays(-2));

        var negative = await Tool("purge", "--spool", spool.Path, "--older-than-hours", "-1", "--yes");
        Assert.Equal(1, negative.ExitCode);
        Assert.Contains("--older-than-hours must be zero or more", negative.Stderr, StringComparison.Ordinal);

        var holdDead = await Tool("hold", "--spool", spool.Path, "--state", "Dead");
        Assert.Equal(1, holdDead.ExitCode);
        Assert.Contains("hold works on Due, Scheduled tasks, not Dead ones", holdDead.Stderr, StringComparison.Ordinal);

        var noSuchSpool = await Tool("show", "--spool", spool.Combine("nope"), Path.GetFileName(task));
        Assert.Equal(2, noSuchSpool.ExitCode);
        Assert.Contains("does not exist", noSuchSpool.Stderr, StringComparison.Ordinal);

        foreach (var run in new[] { negative, holdDead, noSuchSpool })
        {
            Assert.Single(run.Stderr.Trim().Split('\n'));
        }
        Assert.True(File.Exists(task), "a refused command must not touch the task");
    }

    [Fact]
    public async Task Ls_sorts_by_size_due_and_task_and_reverse_needs_a_sort()
    {
        using var spool = new TempSpool("ls-sort");
        var spooler = new Spooler(spool.Path);
        var now = DateTime.UtcNow;
        var files = new[] { ("b", 300, -3), ("a", 10, -1), ("c", 1000, -2) }.Select(t =>
        {
            string path = spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", t.Item1), new("pad", new string('x', t.Item2))])).Path;
            File.SetLastWriteTimeUtc(path, now.AddHours(t.Item3));
            return path;
        }).ToList();

        async Task<string[]> Tasks(params string[] extra)
        {
            var run = await Tool(["ls", "--spool", spool.Path, "--json", .. extra]);
            Assert.True(run.ExitCode == 0, run.Stderr);
            using var doc = JsonDocument.Parse(run.Stdout);
            return [.. doc.RootElement.EnumerateArray().Select(e => e.GetProperty("task").GetString()!)];
        }
        Assert.Equal(["a", "b", "c"], await Tasks("--sort", "size"));
        Assert.Equal(["c", "b", "a"], await Tasks("--sort", "size", "--reverse"));
        Assert.Equal(["b", "c", "a"], await Tasks("--sort", "due"));
        Assert.Equal(["a", "b", "c"], await Tasks("--sort", "task"));

        var reverseAlone = await Tool("ls", "--spool", spool.Path, "--reverse");
        Assert.Equal(1, reverseAlone.ExitCode);
        Assert.Contains("--reverse needs --sort", reverseAlone.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_stats_is_a_coloured_table_and_a_large_purge_shows_progress_while_piped_output_stays_plain()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Skip("util-linux 'script' is not installed, so the tool cannot be given a terminal");
        }
        using var spool = new TempSpool("terminal");
        var spooler = new Spooler(spool.Path, new SpoolerSettings { Durability = TypedSpool.Storage.SpoolDurability.None });
        for (int i = 0; i < 150; i++)
        {
            spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "bulk")]));
        }
        string tool = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "TypedSpool.Cli.dll")}'";
        var environment = new Dictionary<string, string> { ["TERM"] = "xterm-256color" };
        environment.Remove("NO_COLOR");

        using (var piped = ChildProcess.Start("sh", ["-c", $"{tool} stats --spool '{spool.Path}'"], environment: environment))
        {
            Assert.Equal(0, await piped.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.DoesNotContain('\u001b', piped.StandardOutput);
            Assert.Contains("150 task files", piped.StandardOutput, StringComparison.Ordinal);
        }

        // script(1) runs the command on a pseudo-terminal and copies what it shows to stdout.
        using (var terminal = ChildProcess.Start("script", ["-qec", $"{tool} stats --spool '{spool.Path}'; {tool} purge --spool '{spool.Path}' --yes", "/dev/null"], environment: environment))
        {
            Assert.Equal(0, await terminal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            string screen = terminal.StandardOutput;
            Assert.Contains("\u001b[", screen, StringComparison.Ordinal); // coloured
            Assert.Contains("╭", screen, StringComparison.Ordinal); // a table with a rounded border
            Assert.Contains("100%", screen, StringComparison.Ordinal); // the progress display of the purge
            Assert.Contains("deleted 150 task(s)", screen, StringComparison.Ordinal);
            Assert.DoesNotContain("deleted " + spool.Path, screen, StringComparison.Ordinal); // no line per file under a progress bar
        }
        Assert.Empty(Directory.GetFiles(spool.Path, "uwsgi_spoolfile_on_*"));
    }
}
