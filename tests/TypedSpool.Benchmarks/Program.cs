using TypedSpool.Benchmarks.EndToEnd;
using TypedSpool.Benchmarks.EndToEnd.Child;
using TypedSpool.Benchmarks.Network;

// Figures, not tests (the test command does not run this project).
//   network [--count N]   remote enqueue (TCP, Unix socket) against local enqueue
//   e2e [options]         TypedSpool against uWSGI and Hangfire, end to end (tests/TypedSpool.Benchmarks/bench.sh)
//   child ...             one role of an e2e run, started by the e2e coordinator in its own process
return args.Length == 0 ? Usage() : args[0] switch
{
    "network" => await NetworkBenchmark.RunAsync(args[1..]),
    "e2e" => await Coordinator.RunAsync(args[1..]),
    "child" => await ChildMain.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: TypedSpool.Benchmarks network [--count N]");
    Console.Error.WriteLine("       TypedSpool.Benchmarks e2e " + E2eOptions.Usage);
    return 1;
}
