using System.Diagnostics;
using System.Globalization;
using TypedSpool.Storage;

namespace TypedSpool.MicroBenchmarks.Memory;

/// <summary>
/// The producer process of the memory run: enqueues <c>--tasks</c> bench.tick tasks through the generated stub,
/// never more than <c>--queue</c> ahead of the count of tasks run, which the parent writes on its stdin (one number
/// a line). Prints one <c>progress</c> line every <c>--every</c> tasks and a <c>done</c> line, with the bytes the
/// producing thread allocated (GC.GetAllocatedBytesForCurrentThread: the enqueue path alone).
/// </summary>
internal static class Producer
{
    private static long s_completed;
    private static readonly ManualResetEventSlim s_progress = new();

    public static int Run(RunArguments args)
    {
        string spool = args.RequiredText("spool");
        long tasks = args.Number("tasks", 1_000_000);
        long queue = args.Number("queue", 10_000);
        long every = args.Number("every", 100_000);
        Spooler.Default = new Spooler(spool, new SpoolerSettings { Durability = SpoolDurability.None });

        var reader = new Thread(ReadCompleted) { IsBackground = true, Name = "completed-reader" };
        reader.Start();

        using var sampler = args.Has("alloc-types") ? new AllocationSampler() : null;
        var clock = Stopwatch.StartNew();
        long allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        for (long id = 1; id <= tasks; id++)
        {
            while (true)
            {
                s_progress.Reset();
                if (id - 1 - Volatile.Read(ref s_completed) < queue)
                {
                    break;
                }
                if (!reader.IsAlive)
                {
                    Console.Error.WriteLine("producer: the parent closed stdin before all tasks ran.");
                    return 1;
                }
                s_progress.Wait(100);
            }
            BenchTasks.Spool.Tick(id);
            if (id % every == 0 || id == tasks)
            {
                long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart;
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(id == tasks ? "done" : "progress")} produced={id} allocated={allocated} rss={ProcessStats.Rss()} elapsed_ms={clock.ElapsedMilliseconds} gc0={GC.CollectionCount(0)} gc1={GC.CollectionCount(1)} gc2={GC.CollectionCount(2)}"));
                Console.Out.Flush();
            }
        }
        // On stderr, which the parent does not parse: it shows on the console after the parent's rows.
        sampler?.Print(Console.Error, "producer", tasks);
        return 0;
    }

    private static void ReadCompleted()
    {
        while (Console.In.ReadLine() is { } line)
        {
            if (long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out long completed))
            {
                Volatile.Write(ref s_completed, completed);
                s_progress.Set();
            }
        }
    }
}
