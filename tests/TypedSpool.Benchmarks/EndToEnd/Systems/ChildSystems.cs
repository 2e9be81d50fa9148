using TypedSpool.Benchmarks.EndToEnd.Child;
using TypedSpool.Storage;

namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>The child-process side of each system, by the name the coordinator passes in --system.</summary>
internal static class ChildSystems
{
    public static IChildSystem Create(string name) => name switch
    {
        SystemNames.TypedSpoolDurable => new TypedSpoolChild(SpoolDurability.Full),
        SystemNames.TypedSpoolFast => new TypedSpoolChild(SpoolDurability.None),
        // The separate producer for uWSGI's latency: another program writing uWSGI files, which is what uWSGI's
        // wake-up cannot see (no fsync, like uWSGI's own writer).
        SystemNames.Uwsgi => new TypedSpoolChild(SpoolDurability.None),
        SystemNames.HangfireSqlite => new HangfireChild(sqlite: true),
        SystemNames.HangfireInMemory => new HangfireChild(sqlite: false),
        _ => throw new ArgumentException($"unknown system {name}"),
    };
}
