namespace TypedSpool.Benchmarks.EndToEnd.Child;

/// <summary>
/// The producer side of the scaling line: --threads producers share one producer object (one Spooler) and enqueue
/// --n tasks between them. With --wait-go it says "ready" after its warm-up and starts on a line from stdin, so
/// that several producer processes start together.
/// </summary>
internal static class ProducerScalingChild
{
    public static void Run(IBenchProducer producer, ArgMap a, ChildReport report)
    {
        int threads = a.Int("threads", 1);
        int n = a.Int("n");
        producer.WarmUp(a.Int("warmup", 50));
        if (a.Has("wait-go"))
        {
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            Console.In.ReadLine();
        }
        using var go = new Barrier(threads);
        var starts = new long[threads];
        var ends = new long[threads];
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            int count = n / threads + (t < n % threads ? 1 : 0);
            workers[t] = new Thread(() =>
            {
                go.SignalAndWait();
                starts[index] = MonotonicClock.NowNs();
                for (int i = 0; i < count; i++) producer.Enqueue(index * 1_000_000L + i, 0);
                ends[index] = MonotonicClock.NowNs();
            });
            workers[t].Start();
        }
        foreach (var worker in workers) worker.Join();
        report["start_ns"] = starts.Min();
        report["end_ns"] = ends.Max();
    }
}
