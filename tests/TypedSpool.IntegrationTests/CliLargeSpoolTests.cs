using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary><c>stats</c> and <c>ls --json | head</c> on a 100,000-task spool: figures printed, memory bounded.</summary>
public class CliLargeSpoolTests
{
    private const int Tasks = 100_000;

    [Fact]
    public async Task Stats_and_ls_stay_bounded_on_a_hundred_thousand_tasks()
    {
        using var spool = new TempSpool("large");
        var spooler = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        var fill = Stopwatch.StartNew();
        for (int i = 0; i < Tasks; i++)
        {
            spooler.Enqueue(SpoolPacket.FromText([new("ud_spool_func", "task" + (i % 7).ToString(CultureInfo.InvariantCulture)), new("i", i.ToString(CultureInfo.InvariantCulture))]),
                new SpoolOptions { Priority = i % 10 == 0 ? 1 : null });
        }
        fill.Stop();

        string cli = Path.Combine(AppContext.BaseDirectory, "TypedSpool.Cli.dll");
        var (stats, statsSeconds, statsRss) = await MeasureAsync($"dotnet '{cli}' stats --spool '{spool.Path}' --json", spool);
        var (head, headSeconds, headRss) = await MeasureAsync($"dotnet '{cli}' ls --spool '{spool.Path}' --json | head -c 2000", spool);

        using var doc = JsonDocument.Parse(stats);
        Assert.Equal(Tasks, doc.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(7, doc.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("task").GetString()).Distinct().Count());
        Assert.StartsWith("[{\"path\":", head, StringComparison.Ordinal);

        string figures = string.Create(CultureInfo.InvariantCulture,
            $"{Tasks} tasks written in {fill.Elapsed.TotalSeconds:F1} s; stats: {statsSeconds:F2} s, peak RSS {statsRss / 1024.0:F0} MiB; ls --json | head: {headSeconds:F2} s, peak RSS {headRss / 1024.0:F0} MiB");
        TestContext.Current.SendDiagnosticMessage(figures);
        Console.WriteLine(figures);
        // Bounded: memory does not grow with the queue (a listing held in memory would be several times this).
        if (statsRss > 0) Assert.True(statsRss < 256 * 1024, figures);
        if (headRss > 0) Assert.True(headRss < 256 * 1024, figures);
    }

    /// <summary>Runs a shell command, with peak RSS (KiB) from /usr/bin/time when it is installed (else 0).</summary>
    private static async Task<(string Output, double Seconds, long RssKiB)> MeasureAsync(string command, TempSpool spool)
    {
        bool timed = File.Exists("/usr/bin/time");
        string rssFile = spool.Combine("rss-" + Guid.NewGuid().ToString("N"));
        string shell = timed ? $"/usr/bin/time -f %M -o '{rssFile}' sh -c \"{command.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : command;
        var watch = Stopwatch.StartNew();
        using var child = ChildProcess.Start("sh", ["-c", shell]);
        int code = await child.WaitForExitAsync(TimeSpan.FromMinutes(3));
        watch.Stop();
        Assert.True(code == 0, $"{command} failed ({code}): {child.StandardError}");
        long rss = timed && File.Exists(rssFile) && long.TryParse(File.ReadAllText(rssFile).Trim().Split('\n')[^1], NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib : 0;
        return (child.StandardOutput, watch.Elapsed.TotalSeconds, rss);
    }
}
