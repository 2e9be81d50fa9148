using TypedSpool.Storage;

namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>TypedSpool's Spooler and SpoolWorker, durable (fsync of file and directory per task) or not.</summary>
internal sealed class TypedSpoolSystem(SpoolDurability durability) : DotnetSystem
{
    public override string Name => durability == SpoolDurability.Full ? SystemNames.TypedSpoolDurable : SystemNames.TypedSpoolFast;

    public override string Notes =>
        $"Spooler + SpoolWorker (Concurrency 1, inotify wake, Frequency 30 s, file recycling on: the defaults), SpoolDurability.{durability} on both sides, "
        + "raw DelegateSpoolTaskHandler; latency producer: a separate process with its own Spooler.";
}
