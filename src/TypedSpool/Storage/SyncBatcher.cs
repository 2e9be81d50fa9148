using System.Runtime.ExceptionServices;

namespace TypedSpool.Storage;

/// <summary>
/// Group commit: callers that need the same kind of sync at the same time share one. The first caller to arrive leads
/// and flushes everything pending; callers arriving meanwhile wait and go together in the next flush, so under load a
/// sync covers many writers, and a lone writer pays only a lock. Each caller returns only after a flush that started
/// after its own write, and gets its own error (or the batch's).
/// </summary>
internal sealed class SyncBatcher<T>
{
    /// <summary>Syncs a batch; sets <c>errors[i]</c> for an item that failed, or throws to fail them all.</summary>
    public delegate void Flush(IReadOnlyList<T> items, Exception?[] errors);

    private sealed class Waiter(T item)
    {
        public T Item { get; } = item;
        public bool Done { get; set; }
        public Exception? Error { get; set; }
    }

    private readonly Flush _flush;
    private readonly object _gate = new();
    private List<Waiter> _pending = [];
    private bool _flushing;

    public SyncBatcher(Flush flush) => _flush = flush;

    /// <summary>Number of flushes so far (for tests and benchmarks: tasks per sync shows how well writes group).</summary>
    public long Flushes { get; private set; }

    public void Sync(T item)
    {
        var me = new Waiter(item);
        Monitor.Enter(_gate);
        try
        {
            _pending.Add(me);
            while (!me.Done)
            {
                if (_flushing)
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                _flushing = true;
                var batch = _pending;
                _pending = [];
                Monitor.Exit(_gate);
                var errors = new Exception?[batch.Count];
                try
                {
                    _flush([.. batch.Select(w => w.Item)], errors);
                }
                catch (Exception ex)
                {
                    Array.Fill(errors, ex);
                }
                finally
                {
                    Monitor.Enter(_gate);
                    for (int i = 0; i < batch.Count; i++)
                    {
                        batch[i].Error = errors[i];
                        batch[i].Done = true;
                    }
                    _flushing = false;
                    Flushes++;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
        if (me.Error is not null)
        {
            ExceptionDispatchInfo.Throw(me.Error);
        }
    }
}
