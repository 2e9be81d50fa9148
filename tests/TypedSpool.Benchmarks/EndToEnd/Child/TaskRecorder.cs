using System.Globalization;
using System.Text.Unicode;

namespace TypedSpool.Benchmarks.EndToEnd.Child;

/// <summary>
/// The benchmark task, the same in every .NET system (the Python handler in Uwsgi/bench_handler.py mirrors it):
/// append "&lt;id&gt; &lt;enqueued ns&gt; &lt;started ns&gt;" to the task log. The coordinator computes every rate and latency
/// from those stamps. The process CPU time is read at the first and the last expected run, so CPU per task leaves
/// out start-up and shutdown.
/// </summary>
internal static class TaskRecorder
{
    private static readonly TaskCompletionSource s_done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static string s_path = "";
    private static int s_expected = int.MaxValue;
    private static int s_count;
    private static long s_cpuFirstNs;
    private static long s_cpuLastNs;

    public static Task AllDone => s_done.Task;

    public static long CpuFirstNs => Volatile.Read(ref s_cpuFirstNs);

    public static long CpuLastNs => Volatile.Read(ref s_cpuLastNs);

    public static void Configure(string path, int expected)
    {
        s_path = path;
        s_expected = expected;
    }

    public static void Record(long id, long enqueuedNs)
    {
        long startedNs = MonotonicClock.NowNs();
        Span<byte> line = stackalloc byte[80];
        if (!Utf8.TryWrite(line, CultureInfo.InvariantCulture, $"{id} {enqueuedNs} {startedNs}\n", out int length))
        {
            throw new InvalidOperationException("task log line too long");
        }
        Libc.AppendLine(s_path, line[..length]);
        int count = Interlocked.Increment(ref s_count);
        if (count == 1) Volatile.Write(ref s_cpuFirstNs, CpuNs());
        if (count == s_expected)
        {
            Volatile.Write(ref s_cpuLastNs, CpuNs());
            s_done.TrySetResult();
        }
    }

    private static long CpuNs() => Environment.CpuUsage.TotalTime.Ticks * 100;
}
