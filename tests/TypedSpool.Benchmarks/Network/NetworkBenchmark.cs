using System.Diagnostics;
using System.Globalization;
using System.Net;
using TypedSpool.Format;
using TypedSpool.Network;
using TypedSpool.Storage;

namespace TypedSpool.Benchmarks.Network;

/// <summary>
/// Remote enqueue (loopback TCP and a Unix socket, to a TypedSpool listener) against local enqueue, in one process,
/// so that the ratios compare runs on the same machine at the same time.
/// </summary>
internal static class NetworkBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 1 && args[0] == "--count" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        string root = Path.Combine(Path.GetTempPath(), "typedspool-bench-" + Environment.ProcessId);
        var packet = SpoolPacket.FromText([new("ud_spool_func", "bench"), new("to", "ada@example.com"), new("subject", "Hello")]);

        var results = new List<(string Name, double PerSecond, double P50, double P99)>();
        foreach (var durability in new[] { SpoolDurability.Full, SpoolDurability.None })
        {
            var local = new Spooler(Path.Combine(root, "local-" + durability), new SpoolerSettings { Durability = durability });
            results.Add(Measure(count, $"local enqueue, durability {durability}", () => { local.Enqueue(packet); return Task.CompletedTask; }));

            foreach (var kind in new[] { "tcp", "unix" })
            {
                using var stop = new CancellationTokenSource();
                var receiving = new Spooler(Path.Combine(root, $"{kind}-{durability}"), new SpoolerSettings { Durability = durability });
                string address = kind == "tcp" ? "tcp://127.0.0.1:0" : "unix:" + Path.Combine(root, $"{durability}.sock");
                var listener = new SpoolListener(new SpoolListenerOptions { Address = address }, receiving);
                var run = listener.RunAsync(stop.Token);
                var bound = await listener.Bound;
                var endpoint = SpoolEndpoint.Parse(bound is IPEndPoint ip ? $"tcp://127.0.0.1:{ip.Port}" : address);
                results.Add(Measure(count, $"remote enqueue over {kind}, durability {durability}", () => SpoolNetworkClient.SendAsync(endpoint, packet)));
                await stop.CancelAsync();
                await run;
            }
        }

        double baseline = results[0].PerSecond;
        Console.WriteLine($"{count} tasks each, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"run",-44} {"tasks/s",10} {"p50 ms",8} {"p99 ms",8} {"vs local full",14}");
        foreach (var (name, perSecond, p50, p99) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44} {perSecond,10:F0} {p50,8:F3} {p99,8:F3} {perSecond / baseline,13:F2}x"));
        }
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static (string, double, double, double) Measure(int count, string name, Func<Task> enqueue)
    {
        for (int i = 0; i < 50; i++) enqueue().GetAwaiter().GetResult(); // warm up
        var latencies = new double[count];
        var total = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            enqueue().GetAwaiter().GetResult();
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        total.Stop();
        Array.Sort(latencies);
        return (name, count / total.Elapsed.TotalSeconds, latencies[count / 2], latencies[(int)(count * 0.99)]);
    }
}
