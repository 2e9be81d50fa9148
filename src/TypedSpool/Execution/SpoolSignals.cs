using System.Collections.Concurrent;

namespace TypedSpool.Execution;

/// <summary>
/// In-process wake-ups: a producer in the same process as a worker tells it about a new file at once,
/// as uWSGI's SIGUSR1 does, without waiting for inotify or the periodic scan.
/// </summary>
internal static class SpoolSignals
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<WakeSignal, byte>> s_listeners = new(StringComparer.Ordinal);

    public static IDisposable Listen(string directory, WakeSignal signal)
    {
        var set = s_listeners.GetOrAdd(directory, static _ => new ConcurrentDictionary<WakeSignal, byte>());
        set[signal] = 0;
        return new Subscription(set, signal);
    }

    public static void Notify(string directory)
    {
        if (s_listeners.TryGetValue(directory, out var set))
        {
            foreach (var signal in set.Keys)
            {
                signal.Set();
            }
        }
    }

    private sealed class Subscription(ConcurrentDictionary<WakeSignal, byte> set, WakeSignal signal) : IDisposable
    {
        public void Dispose() => set.TryRemove(signal, out _);
    }
}
