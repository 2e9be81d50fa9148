using TypedSpool.Benchmarks.EndToEnd.Child;

namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>The Hangfire job: a static method, so no activator or scope is involved.</summary>
public static class HangfireJobs
{
    public static void Append(long id, long enqueuedNs) => TaskRecorder.Record(id, enqueuedNs);
}
