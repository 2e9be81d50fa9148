using TypedSpool.Benchmarks.EndToEnd.Systems;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>
/// The group-commit line: durable enqueue with one producer, with 4 threads sharing one Spooler, and with 4
/// producer processes, all into one directory. Whatever the Spooler in src does today is what gets measured.
/// </summary>
internal sealed class ProducerScaling
{
    public List<double?> Single { get; } = [];
    public List<double?> FourThreads { get; } = [];
    public List<double?> FourProcesses { get; } = [];
    public List<string> Errors { get; } = [];

    public async Task RunAsync(E2eOptions options, string work, int repetition)
    {
        int n = options.N;
        string Store(string name) => Path.Combine(work, $"scale-{repetition}-{name}");
        Single.Add(await MeasureAsync("1 producer", () => Threads(Store("single"), 1, n)));
        FourThreads.Add(await MeasureAsync("4 threads", () => Threads(Store("threads"), 4, n)));
        FourProcesses.Add(await MeasureAsync("4 processes", async () =>
        {
            var children = Enumerable.Range(0, 4).Select(i => SelfProcess.Start(
                ["--system", SystemNames.TypedSpoolDurable, "--phase", "scale", "--store", Store("processes"), "--threads", "1",
                 "--n", ChildPhases.Text(n / 4 + (i < n % 4 ? 1 : 0)), "--wait-go"], withInput: true)).ToArray();
            try
            {
                foreach (var child in children) await child.WaitReadyAsync(TimeSpan.FromSeconds(60));
                foreach (var child in children) child.Go();
                var reports = await Task.WhenAll(children.Select(c => c.ResultAsync(RunContext.Timeout(n))));
                return (reports.Min(r => r.Long("start_ns")), reports.Max(r => r.Long("end_ns")));
            }
            finally
            {
                foreach (var child in children) child.Dispose();
            }
        }));

        async Task<double?> MeasureAsync(string what, Func<Task<(long Start, long End)>> run)
        {
            Libc.Sync();
            try
            {
                var (start, end) = await run();
                return n * 1e9 / (end - start);
            }
            catch (Exception ex)
            {
                Errors.Add($"run {repetition}, {what}: {ex.Message}");
                return null;
            }
        }
    }

    private static async Task<(long, long)> Threads(string store, int threads, int n)
    {
        var report = await ChildPhases.RunAsync(SystemNames.TypedSpoolDurable, "scale", store, n, "--threads", ChildPhases.Text(threads), "--n", ChildPhases.Text(n));
        return (report.Long("start_ns"), report.Long("end_ns"));
    }
}
