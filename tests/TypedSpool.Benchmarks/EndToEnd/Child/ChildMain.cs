using TypedSpool.Benchmarks.EndToEnd.Systems;

namespace TypedSpool.Benchmarks.EndToEnd.Child;

/// <summary>
/// Entry of a child process: one system, one phase. Each phase runs in a fresh process so that its peak RSS and CPU
/// time are its own, not left over from another system or phase. The last stdout line is a <see cref="ChildReport"/>.
/// </summary>
internal static class ChildMain
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = ArgMap.Parse(args);
        IChildSystem system = ChildSystems.Create(a.Text("system"));
        string store = a.Text("store");
        int warmUp = a.Int("warmup", 50);
        var report = new ChildReport();
        switch (a.Text("phase"))
        {
            case "enqueue":
                report["enqueue_ns"] = Enqueue(system.OpenProducer(store), a.Int("n"), warmUp);
                break;
            case "drain":
                TaskRecorder.Configure(a.Text("log"), a.Int("n"));
                await system.StartConsumerAsync(store);
                await TaskRecorder.AllDone;
                report.AddConsumerFigures();
                break;
            case "enqueue-drain":
                // For storage that lives in the process (Hangfire.InMemory): fill it, then start the server.
                report["enqueue_ns"] = Enqueue(system.OpenProducer(store), a.Int("n"), warmUp);
                TaskRecorder.Configure(a.Text("log"), a.Int("n"));
                await system.StartConsumerAsync(store);
                await TaskRecorder.AllDone;
                report.AddConsumerFigures();
                break;
            case "e2e":
            {
                TaskRecorder.Configure(a.Text("log"), a.Int("n"));
                await system.StartConsumerAsync(store);
                var producer = system.OpenProducer(store);
                producer.WarmUp(warmUp);
                report["t0_ns"] = MonotonicClock.NowNs();
                report["enqueue_ns"] = Enqueue(producer, a.Int("n"), 0);
                await TaskRecorder.AllDone;
                report.AddConsumerFigures();
                break;
            }
            case "consume":
                TaskRecorder.Configure(a.Text("log"), a.Int("expect"));
                await system.StartConsumerAsync(store);
                Console.Out.WriteLine("ready");
                Console.Out.Flush();
                await TaskRecorder.AllDone;
                report.AddConsumerFigures();
                break;
            case "produce":
                ProduceSpaced(system.OpenProducer(store), a.Int("n"), warmUp, a.Int("interval-us"), report);
                break;
            case "latency-inproc":
                // Hangfire.InMemory: the storage cannot be shared with another process, so the producer is a thread here.
                TaskRecorder.Configure(a.Text("log"), a.Int("n") + warmUp);
                await system.StartConsumerAsync(store);
                ProduceSpaced(system.OpenProducer(store), a.Int("n"), warmUp, a.Int("interval-us"), report);
                await TaskRecorder.AllDone;
                report.AddConsumerFigures();
                break;
            case "scale":
                ProducerScalingChild.Run(system.OpenProducer(store), a, report);
                break;
            default:
                throw new ArgumentException($"unknown phase {a.Text("phase")}");
        }
        report.Print();
        // Hangfire's server and SQLite connections take seconds to shut down; nothing is left to measure or keep.
        Environment.Exit(0);
        return 0;
    }

    private static long Enqueue(IBenchProducer producer, int n, int warmUp)
    {
        producer.WarmUp(warmUp);
        long start = MonotonicClock.NowNs();
        for (int i = 0; i < n; i++)
        {
            producer.Enqueue(i, MonotonicClock.NowNs());
        }
        return MonotonicClock.NowNs() - start;
    }

    /// <summary>
    /// One task every interval (ids -warmUp..-1 first: they warm the consumer and are not counted), on a fixed
    /// schedule so that a slow enqueue does not shift the later ones. Reports how long the enqueue calls took, which
    /// splits the latency into the producer's write and the consumer's wake-up.
    /// </summary>
    private static void ProduceSpaced(IBenchProducer producer, int n, int warmUp, int intervalUs, ChildReport report)
    {
        var calls = new long[n];
        long start = MonotonicClock.NowNs();
        for (int k = 0; k < warmUp + n; k++)
        {
            long due = start + (long)k * intervalUs * 1000;
            long wait = due - MonotonicClock.NowNs();
            if (wait > 0) Thread.Sleep(TimeSpan.FromTicks(wait / 100));
            long enqueued = MonotonicClock.NowNs();
            producer.Enqueue(k - warmUp, enqueued);
            if (k >= warmUp) calls[k - warmUp] = MonotonicClock.NowNs() - enqueued;
        }
        Array.Sort(calls);
        report["enqueue_call_p50_ns"] = calls[(n - 1) / 2];
        report["enqueue_call_p99_ns"] = calls[Math.Max(0, (int)Math.Ceiling(0.99 * n) - 1)];
    }
}
