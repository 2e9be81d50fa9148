using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool.MicroBenchmarks.Memory;

/// <summary>
/// Steady-state memory of a real <see cref="SpoolWorker"/> (SpoolDurability.None, inotify wake-up, one task at a
/// time) over many tasks fed by a producer in a child process that keeps at most <c>--queue</c> files waiting.
/// Prints a row every <c>--every</c> tasks and a verdict: flat when the last RSS is within 10% of the first row's.
/// Exits non-zero only when the run itself failed (a task lost, a process died, no progress for a minute).
/// </summary>
internal static class SteadyStateRun
{
    private const double FlatTolerance = 0.10;
    private static readonly TimeSpan s_stallLimit = TimeSpan.FromSeconds(60);
    private static long s_rawRuns;

    public static int Run(RunArguments args)
    {
        var settings = new Settings(
            Tasks: args.Number("tasks", 1_000_000),
            Queue: args.Number("queue", 10_000),
            Every: args.Number("every", Math.Clamp(args.Number("tasks", 1_000_000) / 10, 1, 100_000)),
            Raw: args.Has("raw"),
            Ordered: args.Has("ordered"),
            Concurrency: (int)args.Number("concurrency", 1),
            Watch: !args.Has("no-watch"),
            SampleTypes: args.Has("alloc-types"));
        string? given = args.Text("dir");
        string directory = given ?? Path.Combine(Path.GetTempPath(), "typedspool-memory-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            return Measure(settings, directory);
        }
        finally
        {
            if (given is null)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temporary directory is harmless.
                }
            }
        }
    }

    private static int Measure(Settings settings, string directory)
    {
        RuntimeHelpers.RunModuleConstructor(typeof(BenchTasks).Module.ModuleHandle);
        ISpoolTaskHandler handler = settings.Raw
            ? new DelegateSpoolTaskHandler(static (_, _) =>
            {
                Interlocked.Increment(ref s_rawRuns);
                return ValueTask.FromResult(SpoolResult.Ok);
            })
            : new SpoolDispatcher();
        Func<long> completed = settings.Raw ? static () => Volatile.Read(ref s_rawRuns) : static () => BenchTasks.Runs;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TypedSpool steady-state memory: {settings.Tasks:N0} tasks, at most {settings.Queue:N0} queued, handler {(settings.Raw ? "raw delegate" : "generated dispatcher (bench.tick)")}, "
            + $"durability None, concurrency {settings.Concurrency}{(settings.Ordered ? ", ordered" : "")}{(settings.Watch ? "" : ", no inotify (full scan every 10 ms)")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, "
            + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")}, spool {directory}"));
        Console.WriteLine();
        Console.WriteLine("    tasks  elapsed   tasks/s   RSS MB  heap MB  after-GC MB  commit MB    gen0  gen1  gen2  worker B/task  producer B/task  producer RSS MB");

        using var sampler = settings.SampleTypes ? new AllocationSampler() : null;
        var clock = Stopwatch.StartNew();
        long monitorAllocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        long totalAllocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);

        using var stop = new CancellationTokenSource();
        var worker = new SpoolWorker(new SpoolWorkerOptions
        {
            Directory = directory,
            Durability = SpoolDurability.None,
            Quiet = true,
            Ordered = settings.Ordered,
            Concurrency = settings.Concurrency,
            // Without inotify, a full scan every 10 ms finds the producer's files (to price the watcher's own allocations).
            WatchForChanges = settings.Watch,
            Frequency = settings.Watch ? TimeSpan.FromSeconds(30) : TimeSpan.FromMilliseconds(10),
        }, handler);
        var workerRun = Task.Run(() => worker.RunAsync(stop.Token));

        using var producer = StartProducer(directory, settings);
        var reports = new ProducerReports(producer.StandardOutput);

        var rows = new List<Row>();
        var previous = new Row(0, TimeSpan.Zero, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        ProducerReport? producerBefore = null;
        long nextRow = settings.Every;
        long sent = -1;
        long seen = 0;
        var lastProgress = clock.Elapsed;
        string? failure = null;
        while (true)
        {
            long done = completed();
            if (done != sent && reports.Latest is not { Done: true })
            {
                // The producer's flow control: it stays at most --queue tasks ahead of this count.
                try
                {
                    producer.StandardInput.WriteLine(done);
                    producer.StandardInput.Flush();
                }
                catch (IOException) when (producer.HasExited)
                {
                    // It finished (or died: checked below).
                }
                sent = done;
            }
            if (done != seen)
            {
                seen = done;
                lastProgress = clock.Elapsed;
            }
            if (done >= nextRow || done >= settings.Tasks)
            {
                long monitorAllocated = GC.GetAllocatedBytesForCurrentThread() - monitorAllocatedAtStart;
                long workerAllocated = GC.GetTotalAllocatedBytes(precise: true) - totalAllocatedAtStart - monitorAllocated;
                var info = GC.GetGCMemoryInfo();
                var producerNow = reports.Latest;
                var row = new Row(done, clock.Elapsed, ProcessStats.Rss(), GC.GetTotalMemory(forceFullCollection: false), info.HeapSizeBytes,
                    info.TotalCommittedBytes, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), workerAllocated,
                    producerNow?.Produced ?? 0, producerNow?.Allocated ?? 0, producerNow?.Rss ?? 0);
                rows.Add(row);
                Print(row, previous, producerBefore);
                previous = row;
                producerBefore = producerNow;
                while (nextRow <= done)
                {
                    nextRow += settings.Every;
                }
            }
            if (done >= settings.Tasks)
            {
                break;
            }
            if (workerRun.IsCompleted)
            {
                failure = $"the worker stopped after {done} tasks: {workerRun.Exception?.GetBaseException().Message ?? "without an error"}";
                break;
            }
            if (producer.HasExited && producer.ExitCode != 0)
            {
                failure = $"the producer exited with code {producer.ExitCode} after {reports.Latest?.Produced ?? 0} tasks";
                break;
            }
            if (clock.Elapsed - lastProgress > s_stallLimit)
            {
                failure = $"no task ran for {s_stallLimit.TotalSeconds:F0} s (at {done} of {settings.Tasks})";
                break;
            }
            Thread.Sleep(10);
        }
        var elapsed = clock.Elapsed;

        stop.Cancel();
        try
        {
            workerRun.GetAwaiter().GetResult();
            worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (failure is null)
        {
            failure = "the worker failed: " + ex.Message;
        }
        try
        {
            producer.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
        if (!producer.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            producer.Kill();
            failure ??= "the producer did not exit";
        }
        else if (producer.ExitCode != 0)
        {
            failure ??= $"the producer exited with code {producer.ExitCode}";
        }
        reports.WaitForEnd();
        Console.Out.Flush();
        failure ??= CheckSpoolIsEmpty(directory, settings.Tasks, completed());

        Console.WriteLine();
        if (failure is not null)
        {
            Console.WriteLine("FAILED: " + failure);
            return 1;
        }
        PrintVerdict(rows, elapsed, reports.Latest!);
        sampler?.Print(Console.Out, "worker", settings.Tasks);
        return 0;
    }

    private static Process StartProducer(string directory, Settings settings)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("No process path to start the producer with.");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SteadyStateRun).Assembly.Location);
        }
        foreach (string arg in new[] { "produce", "--spool", directory, "--tasks", N(settings.Tasks), "--queue", N(settings.Queue), "--every", N(settings.Every) }.Concat(settings.SampleTypes ? ["--alloc-types"] : []))
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("The producer process did not start.");

        static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
    }

    private static string? CheckSpoolIsEmpty(string directory, long expected, long ran)
    {
        if (ran != expected)
        {
            return $"{ran} tasks ran, {expected} were enqueued";
        }
        int left = Directory.EnumerateFiles(directory, SpoolFileName.Prefix + "*").Count();
        int dead = Directory.Exists(Path.Combine(directory, "dead")) ? Directory.EnumerateFiles(Path.Combine(directory, "dead")).Count() : 0;
        int quarantined = Directory.Exists(Path.Combine(directory, "quarantine")) ? Directory.EnumerateFiles(Path.Combine(directory, "quarantine")).Count() : 0;
        return left + dead + quarantined == 0 ? null : $"{left} task files left, {dead} in dead/, {quarantined} in quarantine/";
    }

    private static void Print(Row row, Row previous, ProducerReport? producerBefore)
    {
        long tasks = row.Tasks - previous.Tasks;
        double seconds = (row.Elapsed - previous.Elapsed).TotalSeconds;
        string producerPerTask = "-";
        if (row.ProducerProduced > (producerBefore?.Produced ?? 0))
        {
            producerPerTask = ((row.ProducerAllocated - (producerBefore?.Allocated ?? 0)) / (double)(row.ProducerProduced - (producerBefore?.Produced ?? 0))).ToString("F0", CultureInfo.InvariantCulture);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{row.Tasks,9} {row.Elapsed.TotalSeconds,7:F1}s {tasks / seconds,9:F0} {ProcessStats.Mb(row.Rss),8} {ProcessStats.Mb(row.Heap),8} {ProcessStats.Mb(row.HeapAfterGc),12} {ProcessStats.Mb(row.Committed),10} "
            + $"{row.Gen0,7} {row.Gen1,5} {row.Gen2,5} {(row.WorkerAllocated - previous.WorkerAllocated) / (double)Math.Max(1, tasks),14:F0} {producerPerTask,16} {ProcessStats.Mb(row.ProducerRss),16}"));
    }

    private static void PrintVerdict(List<Row> rows, TimeSpan elapsed, ProducerReport producer)
    {
        var first = rows[0];
        var last = rows[^1];
        double rssChange = (last.Rss - first.Rss) / (double)first.Rss;
        long steadyTasks = last.Tasks - first.Tasks;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{last.Tasks:N0} tasks in {elapsed.TotalSeconds:F1} s ({last.Tasks / elapsed.TotalSeconds:F0} tasks/s end to end, producer and worker together)."));
        if (steadyTasks > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Allocated per task after the first row: worker {(last.WorkerAllocated - first.WorkerAllocated) / (double)steadyTasks:F0} B, "
                + $"producer {(producer.Allocated - first.ProducerAllocated) / (double)Math.Max(1, producer.Produced - first.ProducerProduced):F0} B "
                + $"(whole run: worker {last.WorkerAllocated / (double)last.Tasks:F0} B, producer {producer.Allocated / (double)producer.Produced:F0} B)."));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Worker peak RSS {ProcessStats.Mb(ProcessStats.PeakRss())} MB; producer GCs gen0/1/2 {producer.Gen0}/{producer.Gen1}/{producer.Gen2}."));
        // Before 100,000 tasks the JIT and the heap are still warming up: a verdict from there would mislead.
        string verdict = rows.Count < 2 ? "NOT JUDGED (one row only)"
            : first.Tasks < 100_000 ? "NOT JUDGED (the first row comes before 100,000 tasks, still warming up; run 1,000,000)"
            : rssChange <= FlatTolerance ? "FLAT"
            : "NOT FLAT";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Memory {verdict}: RSS {ProcessStats.Mb(first.Rss)} MB at {first.Tasks:N0} tasks -> {ProcessStats.Mb(last.Rss)} MB at {last.Tasks:N0} "
            + $"({rssChange:+0.0%;-0.0%}, limit +{FlatTolerance:0%}); managed heap after the last GC {ProcessStats.Mb(first.HeapAfterGc)} -> {ProcessStats.Mb(last.HeapAfterGc)} MB (largest {ProcessStats.Mb(rows.Max(r => r.HeapAfterGc))} MB)."));
    }

    private sealed record Settings(long Tasks, long Queue, long Every, bool Raw, bool Ordered, int Concurrency, bool Watch, bool SampleTypes);

    private sealed record Row(long Tasks, TimeSpan Elapsed, long Rss, long Heap, long HeapAfterGc, long Committed, int Gen0, int Gen1, int Gen2,
        long WorkerAllocated, long ProducerProduced, long ProducerAllocated, long ProducerRss);
}
