using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using TypedSpool.Format;

namespace TypedSpool.MicroBenchmarks.Benchmarks;

/// <summary>
/// Running a generated task in memory: the dispatcher (SpoolTaskRegistry lookup + generated invoker, which decodes
/// the payload and calls the method), compared with calling the generated invoker directly, and the whole
/// in-memory part of a worker's task (decode the file's bytes, build the SpoolTask, dispatch).
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly SpoolDispatcher _dispatcher = new();
    private readonly IServiceProvider _services = new NoServices();
    private SpoolTask _small = null!;
    private SpoolTask _withBody = null!;
    private byte[] _smallFile = null!;

    [GlobalSetup]
    public void Setup()
    {
        RuntimeHelpers.RunModuleConstructor(typeof(BenchTasks).Module.ModuleHandle);
        _small = Sample.Task(Sample.SmallPacket());
        _withBody = Sample.Task(Sample.BodyPacket());
        _smallFile = SpoolPacketCodec.EncodeFile(Sample.SmallPacket());
        if (Run(_small) != SpoolResult.Ok || Run(_withBody) != SpoolResult.Ok)
        {
            throw new InvalidOperationException("The generated dispatcher did not run the benchmark tasks.");
        }
    }

    /// <summary>The generated invoker alone: decode to, subject, copies, invoiceId and call SendInvoice.</summary>
    [Benchmark(Baseline = true)]
    public SpoolResult Invoker_6_keys() => Complete(BenchTasks.Spool.__Invoke_SendInvoice(_small, _services, CancellationToken.None));

    /// <summary>SpoolDispatcher.HandleAsync: the registry lookup by wire name, then the invoker.</summary>
    [Benchmark]
    public SpoolResult Dispatch_6_keys() => Run(_small);

    [Benchmark]
    public SpoolResult Dispatch_3_keys_4KB_body() => Run(_withBody);

    /// <summary>What the worker does in memory per file: decode, new SpoolTask (reads the name), dispatch.</summary>
    [Benchmark]
    public SpoolResult Decode_task_and_dispatch_6_keys()
        => Run(Sample.NewSpoolTask(SpoolPacketCodec.Decode(_smallFile), _small.FilePath, 1, null, DateTimeOffset.UnixEpoch));

    private SpoolResult Run(SpoolTask task) => Complete(_dispatcher.HandleAsync(task, CancellationToken.None));

    private static SpoolResult Complete(ValueTask<SpoolResult> pending)
        => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
