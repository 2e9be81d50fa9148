using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// samples/TypedSpool.Samples.AotWorker published with NativeAOT (zero trim and AOT warnings) and run as a real native
/// process on a real spool filled through the raw Spooler API: every task runs exactly once, and the binary size,
/// startup-to-ready time and peak RSS are measured, printed and written to <c>artifacts/aot-metrics.json</c>.
/// </summary>
[Collection(DotnetBuildCollection.Name)]
[Trait("Category", "NativeAot")]
public sealed partial class AotWorkerTests
{
    private const string Sample = "TypedSpool.Samples.AotWorker";
    private const int Tasks = 300;
    private const int StartupRuns = 7;
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Native_worker_publishes_without_warnings_and_runs_every_task_exactly_once()
    {
        if (AotToolchain.Missing() is { } reason)
        {
            Assert.Skip(reason);
        }
        using var work = new TempSpool("aot");
        string publish = work.Combine("publish");

        // 1. Publish from scratch (its own artifacts folder: every project compiles, every warning is emitted again).
        var published = await CommandRunner.DotnetAsync(
            ["publish", Path.Combine(Fixtures.RepositoryRoot, "samples", Sample, Sample + ".csproj"), "-c", "Release", "-r", "linux-x64",
             "--artifacts-path", work.Combine("artifacts"), "-o", publish, "-nodeReuse:false"],
            Fixtures.RepositoryRoot, s_publishTimeout, cancellationToken: Token);
        Assert.True(published.ExitCode == 0, published.ToString());
        var trimWarnings = TrimOrAotWarning().Matches(published.Output).Select(m => m.Value).Distinct().ToList();
        Assert.True(trimWarnings.Count == 0, $"trim/AOT warnings: {string.Join(", ", trimWarnings)}\n{published}");
        Assert.True(CommandRunner.Warnings(published.Output).Count == 0, "the publish must be warning-free:\n" + published);
        Assert.Contains("Generating native code", published.Output, StringComparison.Ordinal);

        string binary = Path.Combine(publish, Sample);
        Assert.True(File.Exists(binary), $"no native binary at {binary}:\n{published}");
        Assert.False(File.Exists(Path.Combine(publish, Sample + ".dll")), "a managed assembly was published: this is not a NativeAOT build");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(binary)[..4]);
        long binaryBytes = new FileInfo(binary).Length;

        // 2. Startup to "ready" on an empty spool: the process starts, its host starts, it finds nothing to do and exits.
        var startups = new List<double>();
        for (int i = 0; i < StartupRuns; i++)
        {
            string empty = work.Combine($"empty-{i}");
            Directory.CreateDirectory(empty);
            using var run = NativeRun.Start(binary, ["--spool", empty, "--until-empty"]);
            int code = await run.WaitForExitAsync(s_runTimeout);
            Assert.True(code == 0, run.Describe());
            Assert.True(run.ReadyAfter is not null, "no \"ready\" line:\n" + run.Describe());
            startups.Add(run.ReadyAfter.Value.TotalMilliseconds);
        }

        // 3. A real spool filled through the raw Spooler API, some tasks in priority directories, then drained.
        string spool = work.Combine("spool");
        string journal = work.Combine("journal.log");
        var producer = new Spooler(spool, new SpoolerSettings { Durability = SpoolDurability.None });
        for (int i = 1; i <= Tasks; i++)
        {
            var packet = SpoolPacket.FromText([
                new("ud_spool_func", "journal.record"),
                new("entry", $"task-{i:D4}"),
                new("source", $$"""{"Producer":"test","Sequence":{{i}}}"""),
            ]);
            producer.Enqueue(packet, new SpoolOptions { Priority = i % 3 == 0 ? i % 2 : null });
        }
        Assert.Equal(Tasks, CountTaskFiles(spool));

        string? time = File.Exists("/usr/bin/time") ? "/usr/bin/time" : null; // GNU time: the kernel's own peak RSS (ru_maxrss)
        using var drain = time is null
            ? NativeRun.Start(binary, ["--spool", spool, "--journal", journal, "--until-empty"])
            : NativeRun.Start(time, ["-v", binary, "--spool", spool, "--journal", journal, "--until-empty"]);
        int exit = await drain.WaitForExitAsync(s_runTimeout);
        Assert.True(exit == 0, drain.Describe());
        Assert.True(drain.ReadyAfter is not null, "no \"ready\" line:\n" + drain.Describe());

        // 4. Every task ran exactly once, and nothing is left, dead or quarantined.
        string[] lines = File.Exists(journal) ? await File.ReadAllLinesAsync(journal, Token) : [];
        var counts = lines.GroupBy(l => l.Split(' ')[0]).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var problems = Enumerable.Range(1, Tasks)
            .Select(i => (Entry: $"task-{i:D4}", Count: counts.GetValueOrDefault($"task-{i:D4}")))
            .Where(e => e.Count != 1)
            .Select(e => $"{e.Entry} ran {e.Count} time(s)")
            .ToList();
        Assert.True(problems.Count == 0, $"every task must run exactly once; {problems.Count} did not: {string.Join(", ", problems.Take(20))}\n{drain.Describe()}");
        Assert.Equal(Tasks, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^task-\d{4} from test #\d+ \(attempt 1\)$", l));
        Assert.All(lines, l => Assert.Equal(int.Parse(l[5..9], CultureInfo.InvariantCulture), int.Parse(l.Split('#')[1].Split(' ')[0], CultureInfo.InvariantCulture)));
        Assert.Equal(0, CountTaskFiles(spool));
        Assert.Empty(Directory.Exists(Path.Combine(spool, "dead")) ? Directory.GetFiles(Path.Combine(spool, "dead")) : []);
        Assert.Empty(Directory.Exists(Path.Combine(spool, "quarantine")) ? Directory.GetFiles(Path.Combine(spool, "quarantine")) : []);
        Assert.Contains($"Ran {Tasks} tasks", drain.Output, StringComparison.Ordinal);

        // 5. Peak RSS: GNU time's report, or else the highest VmHWM read from /proc while it ran (a lower bound).
        long peakKiB;
        string peakSource;
        if (time is not null)
        {
            var match = MaxRss().Match(drain.Output);
            Assert.True(match.Success, "no 'Maximum resident set size' in the output of /usr/bin/time -v:\n" + drain.Describe());
            peakKiB = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            peakSource = "/usr/bin/time -v (ru_maxrss)";
        }
        else
        {
            peakKiB = drain.PolledPeakKiB;
            peakSource = "VmHWM of /proc/<pid>/status, polled every 10 ms (a lower bound)";
        }
        Assert.True(peakKiB > 1024, $"implausible peak RSS {peakKiB} KiB");

        startups.Sort();
        double median = startups[startups.Count / 2];
        var metrics = new JsonObject
        {
            ["measuredAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["sample"] = $"samples/{Sample}",
            ["runtimeIdentifier"] = "linux-x64",
            ["machine"] = new JsonObject
            {
                ["os"] = RuntimeInformation.OSDescription,
                ["processors"] = Environment.ProcessorCount,
                ["dotnet"] = RuntimeInformation.FrameworkDescription,
                ["linker"] = AotToolchain.Linker(),
            },
            ["publishSeconds"] = Math.Round(published.Elapsed.TotalSeconds, 1),
            ["binaryBytes"] = binaryBytes,
            ["startupToReadyMs"] = new JsonObject
            {
                ["median"] = Math.Round(median, 1),
                ["min"] = Math.Round(startups[0], 1),
                ["max"] = Math.Round(startups[^1], 1),
                ["runs"] = startups.Count,
                ["how"] = "from Process.Start to the \"ready\" line on stdout (host started), empty spool",
            },
            ["drain"] = new JsonObject
            {
                ["tasks"] = Tasks,
                ["readyMs"] = Math.Round(drain.ReadyAfter.Value.TotalMilliseconds, 1),
                ["totalMs"] = Math.Round(drain.ExitedAfter!.Value.TotalMilliseconds, 1),
                ["peakRssKiB"] = peakKiB,
                ["peakRssSource"] = peakSource,
            },
        };
        string json = metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        string artifacts = Path.Combine(Fixtures.RepositoryRoot, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "aot-metrics.json"), json + "\n", Token);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"NativeAOT worker: binary {binaryBytes} bytes ({binaryBytes / 1048576.0:F1} MiB); startup to ready {median:F1} ms median of {startups.Count} (min {startups[0]:F1}); {Tasks} tasks drained in {drain.ExitedAfter.Value.TotalMilliseconds:F0} ms, peak RSS {peakKiB} KiB ({peakSource}); publish {published.Elapsed.TotalSeconds:F0} s");
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(json);
    }

    private static int CountTaskFiles(string spool)
        => Directory.Exists(spool) ? Directory.GetFiles(spool, "uwsgi_spoolfile_on_*", SearchOption.AllDirectories).Count(f => !f.Contains("/dead/", StringComparison.Ordinal) && !f.Contains("/quarantine/", StringComparison.Ordinal)) : 0;

    [GeneratedRegex(@"\b(?:warning|error) IL[23]\d{3}\b[^\r\n]*")]
    private static partial Regex TrimOrAotWarning();

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();

    /// <summary>A native process whose "ready" line and exit are timestamped from its start, and whose VmHWM is polled.</summary>
    private sealed class NativeRun : IDisposable
    {
        private readonly Process _process;
        private readonly Stopwatch _watch;
        private readonly StringBuilder _output = new();
        private readonly Timer _poll;
        private long _polledPeakKiB;

        private NativeRun(Process process, Stopwatch watch)
        {
            _process = process;
            _watch = watch;
            process.OutputDataReceived += (_, e) => OnLine(e.Data, isStdout: true);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data, isStdout: false);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _poll = new Timer(_ => Poll(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
        }

        public TimeSpan? ReadyAfter { get; private set; }

        public TimeSpan? ExitedAfter { get; private set; }

        public long PolledPeakKiB => Interlocked.Read(ref _polledPeakKiB);

        public string Output { get { lock (_output) return _output.ToString(); } }

        public static NativeRun Start(string fileName, IEnumerable<string> arguments)
        {
            var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments) info.ArgumentList.Add(argument);
            var watch = Stopwatch.StartNew();
            var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
            return new NativeRun(process, watch);
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var limit = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the worker did not exit within {timeout.TotalSeconds:F0} s.\n{Describe()}");
            }
            ExitedAfter ??= _watch.Elapsed;
            _process.WaitForExit(10_000); // drains the readers; bounded
            await _poll.DisposeAsync();
            return _process.ExitCode;
        }

        public string Describe() => $"$ {_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)}\n"
            + (_process.HasExited ? $"(exit code {_process.ExitCode})\n" : "(running)\n") + Output;

        private void OnLine(string? line, bool isStdout)
        {
            if (line is null) return;
            if (isStdout && line == "ready" && ReadyAfter is null)
            {
                ReadyAfter = _watch.Elapsed;
            }
            lock (_output) _output.AppendLine(line);
        }

        private void Poll()
        {
            try
            {
                foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                        && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out long kib)
                        && kib > Interlocked.Read(ref _polledPeakKiB))
                    {
                        Interlocked.Exchange(ref _polledPeakKiB, kib);
                    }
                }
            }
            catch (IOException)
            {
                // exited between two polls
            }
            catch (InvalidOperationException)
            {
            }
        }

        public void Dispose()
        {
            _poll.Dispose();
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            _process.Dispose();
        }
    }
}
