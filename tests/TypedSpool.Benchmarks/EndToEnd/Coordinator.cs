using System.Diagnostics;
using TypedSpool.Benchmarks.EndToEnd.Systems;
using TypedSpool.Storage;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>
/// The e2e harness: a coordinator that never runs a task itself. Each repetition runs every system in turn (so a
/// drift of the disk spreads over all of them), each phase in fresh child processes or uWSGI instances, then the
/// producer-scaling line. Prints the table, writes table.txt and results.json. Exits 1 only if a run failed.
/// </summary>
internal static class Coordinator
{
    public static async Task<int> RunAsync(string[] args)
    {
        E2eOptions options;
        try
        {
            options = E2eOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"{ex.Message}\nusage: TypedSpool.Benchmarks e2e {E2eOptions.Usage}");
            return 2;
        }

        BenchSystem[] all =
        [
            new TypedSpoolSystem(SpoolDurability.Full),
            new TypedSpoolSystem(SpoolDurability.None),
            new UwsgiSystem(),
            new HangfireSqliteSystem(),
            new HangfireInMemorySystem(),
        ];
        var systems = all.Where(s => options.Systems.Contains(s.Name)).ToArray();
        var results = systems.Select(s => new SystemResult(s.Name, options.TasksFor(s.Name), s.Notes, s.UnavailableReason)).ToArray();
        var scaling = options.Scaling ? new ProducerScaling() : null;
        var started = DateTimeOffset.UtcNow;
        var wall = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Work);
        try
        {
            for (int rep = 1; rep <= options.Repetitions; rep++)
            {
                for (int i = 0; i < systems.Length; i++)
                {
                    if (results[i].Skipped is not null) continue;
                    Console.Error.WriteLine($"[{wall.Elapsed:mm\\:ss}] run {rep}/{options.Repetitions}: {systems[i].Name}, n = {results[i].N}");
                    string work = Path.Combine(options.Work, $"{systems[i].Name}-{rep}");
                    Directory.CreateDirectory(work);
                    var context = new RunContext(options, work, results[i].N);
                    await systems[i].RunAsync(context);
                    results[i].Runs.Add(context.Figures);
                    foreach (var error in context.Figures.Errors) Console.Error.WriteLine($"  FAILED {error}");
                    if (!options.Keep) DeleteQuietly(work);
                }
                if (scaling is not null)
                {
                    Console.Error.WriteLine($"[{wall.Elapsed:mm\\:ss}] run {rep}/{options.Repetitions}: durable enqueue, 1 vs 4 producers");
                    await scaling.RunAsync(options, options.Work, rep);
                }
            }
        }
        finally
        {
            if (!options.Keep) DeleteQuietly(options.Work);
        }

        var machine = MachineInfo.Describe(options.Work);
        string table = Table.Render(options, results, scaling, machine, started, wall.Elapsed);
        Console.WriteLine(table);
        Directory.CreateDirectory(options.Out);
        await File.WriteAllTextAsync(Path.Combine(options.Out, "table.txt"), table);
        ResultsJson.Write(Path.Combine(options.Out, "results.json"), options, results, scaling, machine, started, wall.Elapsed);
        Console.Error.WriteLine($"wrote {Path.Combine(options.Out, "table.txt")} and results.json");
        bool failed = results.Any(r => r.Errors.Any()) || (scaling?.Errors.Count ?? 0) > 0;
        return failed ? 1 : 0;
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"warning: could not delete {directory}: {ex.Message}");
        }
    }
}
