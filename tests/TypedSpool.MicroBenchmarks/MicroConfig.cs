using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace TypedSpool.MicroBenchmarks;

/// <summary>
/// A short job so the whole suite (20 benchmarks) runs in about 2.5 minutes on 2 cores: one process, 2 warm-up and 6 measured
/// iterations of about 200 ms (BenchmarkDotNet's default job runs 15-100 iterations of 500 ms and takes far longer).
/// Allocations are exact either way; means are good to a few percent on a quiet machine. Pass <c>--job default</c>
/// for BenchmarkDotNet's own job instead.
/// </summary>
internal static class MicroConfig
{
    public static IConfig Create(bool shortJob)
    {
        // Reports go beside the binaries (bin/ is ignored by git), not into the directory the command runs from;
        // --artifacts <dir> still overrides this.
        var config = DefaultConfig.Instance
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"))
            .AddDiagnoser(MemoryDiagnoser.Default);
        return shortJob
            ? config.AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(6)
                .WithIterationTime(TimeInterval.FromMilliseconds(200))
                .WithId("Short"))
            : config;
    }
}
