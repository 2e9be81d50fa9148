using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using TypedSpool.Format;

namespace TypedSpool.Tests.Execution;

/// <summary>A recording handler and small helpers for worker tests.</summary>
internal sealed class RecordingHandler(Func<SpoolTask, CancellationToken, ValueTask<SpoolResult>>? behaviour = null) : ISpoolTaskHandler
{
    public ConcurrentQueue<SpoolTask> Runs { get; } = new();

    public async ValueTask<SpoolResult> HandleAsync(SpoolTask task, CancellationToken cancellationToken)
    {
        Runs.Enqueue(task);
        return behaviour is null ? SpoolResult.Ok : await behaviour(task, cancellationToken);
    }

    public string[] Values(string key) => [.. Runs.Select(r => r.Packet.GetText(key) ?? "")];
}

internal static class WorkerTestKit
{
    public static SpoolPacket Packet(params (string Key, string Value)[] pairs)
        => SpoolPacket.FromText(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    /// <summary>A fake clock a little ahead of the real time, so that files written now by the real clock are due.</summary>
    public static FakeTimeProvider Clock() => new(DateTimeOffset.UtcNow.AddSeconds(5));

    public static RetryPolicy NoJitter(int maxAttempts = 3) => new() { MaxAttempts = maxAttempts, InitialDelay = TimeSpan.FromSeconds(10), Jitter = 0 };
}
