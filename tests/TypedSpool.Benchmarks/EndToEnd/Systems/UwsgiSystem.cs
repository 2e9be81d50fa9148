using System.Diagnostics;

namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>
/// The real uWSGI 2.0 spooler (Debian's binary, python3 plugin) with a uwsgidecorators @spool handler. Every phase
/// is its own instance: enqueue = a mule calling the @spool function with only --spooler-external (nothing consumes);
/// drain = a spooler started on those files; e2e = spooler and producing mule in one instance (each spool wakes the
/// spooler, uWSGI's fast path); latency = an idle spooler and files from a separate process, found by the scan.
/// </summary>
internal sealed class UwsgiSystem : BenchSystem
{
    private const string Frequency = "1";

    private static readonly Lazy<string?> s_unavailable = new(Probe);
    private static readonly Lazy<string> s_version = new(() => s_unavailable.Value is null ? Run(UwsgiProcess.Binary, "--version").Trim() : "(not installed)");

    public override string Name => SystemNames.Uwsgi;

    public override string? UnavailableReason => s_unavailable.Value;

    public override string Notes =>
        $"uWSGI {s_version.Value} (python3 plugin), 1 spooler process (uWSGI runs it at nice 19), --spooler-frequency {Frequency}, --spooler-quiet, "
        + "@spool handler; enqueue and e2e producer: a --mule calling the @spool function (uwsgi.spool; SIGUSR1 wakes the spooler); "
        + "latency producer: a separate process writing uWSGI files (only the scan finds them); no fsync anywhere.";

    private static string MuleScript => Path.Combine(UwsgiProcess.ScriptDirectory, "bench_mule.py");

    public override async Task RunAsync(RunContext context)
    {
        int n = context.N;
        string store = context.Path("queue");
        bool filled = false;
        await context.PhaseAsync("enqueue", async () =>
        {
            Directory.CreateDirectory(store);
            string result = context.Path("enqueue.json");
            using var uwsgi = UwsgiProcess.Start(context.Path("enqueue.uwsgi.log"),
                ["--spooler-external", store, "--spooler-quiet", "--mule=" + MuleScript],
                Environment(context, n, log: context.Path("unused.log"), done: context.Path("unused.json"), result: result, waitSpooler: false));
            var report = await uwsgi.WaitForJsonAsync(result, RunContext.Timeout(n));
            context.Figures.EnqueuePerS = n * 1e9 / (report.GetProperty("t1_ns").GetInt64() - report.GetProperty("t0_ns").GetInt64());
            int files = Directory.GetFiles(store).Length;
            if (files != n) throw new BenchmarkFailure($"the mule reported {n} spools but {store} holds {files} files");
            filled = true;
        });
        await context.PhaseAsync("drain", async () =>
        {
            if (!filled) throw new BenchmarkFailure("no pre-filled spool to drain (enqueue failed)");
            string log = context.Path("drain.log"), done = context.Path("drain.json");
            using var uwsgi = StartSpooler(context, "drain", store, Environment(context, n, log, done));
            var report = await uwsgi.WaitForJsonAsync(done, RunContext.Timeout(n));
            context.Figures.DrainPerS = TaskLogFile.Read(log, n).DrainPerSecond;
            SetConsumerFigures(context, uwsgi, report, n);
        });
        await context.PhaseAsync("e2e", async () =>
        {
            string spool = context.Path("queue-e2e"), log = context.Path("e2e.log"), done = context.Path("e2e.json"), result = context.Path("e2e-produced.json");
            using var uwsgi = StartSpooler(context, "e2e", spool, Environment(context, n, log, done, result, waitSpooler: true), "--mule=" + MuleScript);
            var produced = await uwsgi.WaitForJsonAsync(result, RunContext.Timeout(n));
            await uwsgi.WaitForJsonAsync(done, RunContext.Timeout(n));
            context.Figures.E2ePerS = TaskLogFile.Read(log, n).PerSecondSince(produced.GetProperty("t0_ns").GetInt64());
        });
        var o = context.Options;
        await context.PhaseAsync("latency", () =>
        {
            string spool = context.Path("queue-latency"), log = context.Path("latency.log"), done = context.Path("latency.json");
            return ChildPhases.MeasureLatencyAsync(context, Name, spool, log, async () =>
            {
                var uwsgi = StartSpooler(context, "latency", spool, Environment(context, o.LatencyTasks + o.LatencyWarmUp, log, done));
                try
                {
                    await uwsgi.WaitForLogAsync("spawned the uWSGI spooler", TimeSpan.FromSeconds(30));
                    await Task.Delay(500); // past the spooler's first scan: idle, waiting for the next one
                }
                catch
                {
                    uwsgi.Dispose();
                    throw;
                }
                return new LatencyConsumer(uwsgi, () => uwsgi.WaitForJsonAsync(done, TimeSpan.FromSeconds(30)));
            });
        });
    }

    private static UwsgiProcess StartSpooler(RunContext context, string phase, string spool, Dictionary<string, string> environment, params string[] more)
    {
        Directory.CreateDirectory(spool);
        return UwsgiProcess.Start(context.Path(phase + ".uwsgi.log"),
            ["--spooler", spool, "--spooler-frequency", Frequency, "--spooler-quiet", "--import", "bench_handler", .. more], environment);
    }

    private static Dictionary<string, string> Environment(RunContext context, int expect, string log, string done, string? result = null, bool waitSpooler = false) => new(StringComparer.Ordinal)
    {
        ["BENCH_LOG"] = log,
        ["BENCH_EXPECT"] = ChildPhases.Text(expect),
        ["BENCH_DONE"] = done,
        ["BENCH_N"] = ChildPhases.Text(context.N),
        ["BENCH_RESULT"] = result ?? context.Path("unused-result.json"),
        ["BENCH_WAIT_SPOOLER"] = waitSpooler ? "1" : "0",
    };

    /// <summary>
    /// CPU and RSS of the spooler process (the one that runs the tasks, the peer of a .NET worker process). The
    /// master is needed too and idles meanwhile; its peak RSS goes to results.json as master_rss_mb.
    /// </summary>
    private static void SetConsumerFigures(RunContext context, UwsgiProcess uwsgi, System.Text.Json.JsonElement report, int n)
    {
        context.SetConsumerFigures(report.GetProperty("cpu_first_ns").GetInt64(), report.GetProperty("cpu_last_ns").GetInt64(), report.GetProperty("peak_rss_kb").GetInt64(), n);
        if (ProcFs.PeakRssKb(uwsgi.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } master)
        {
            context.Figures.Extra["master_rss_mb"] = master / 1024.0;
        }
    }

    private static string? Probe()
    {
        if (!File.Exists(UwsgiProcess.Binary)) return $"uWSGI is not installed ({UwsgiProcess.Binary} is missing; apt-get install uwsgi uwsgi-plugin-python3 python3-uwsgidecorators)";
        if (!File.Exists("/usr/lib/uwsgi/plugins/python3_plugin.so")) return "the uWSGI python3 plugin is not installed (apt-get install uwsgi-plugin-python3)";
        if (!File.Exists("/usr/lib/python3/dist-packages/uwsgidecorators.py")) return "uwsgidecorators is not installed (apt-get install python3-uwsgidecorators)";
        return null;
    }

    private static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
