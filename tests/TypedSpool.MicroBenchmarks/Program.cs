using BenchmarkDotNet.Running;
using TypedSpool.MicroBenchmarks;
using TypedSpool.MicroBenchmarks.Memory;

// dotnet run -c Release --project tests/TypedSpool.MicroBenchmarks -- --filter '*'            BenchmarkDotNet suite (short job)
// dotnet run -c Release --project tests/TypedSpool.MicroBenchmarks -- memory --tasks 1000000  steady-state memory of a worker
// (the memory run starts this executable again with "produce" as its producer process)
return args.FirstOrDefault() switch
{
    "memory" => SteadyStateRun.Run(RunArguments.Parse(args[1..])),
    "produce" => Producer.Run(RunArguments.Parse(args[1..])),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    bool jobGiven = args.Any(a => a is "--job" or "-j");
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchTasks).Assembly).Run(args, MicroConfig.Create(shortJob: !jobGiven));
    // Non-zero only when a benchmark failed to run, never for a figure.
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
