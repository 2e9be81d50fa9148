namespace TypedSpool.MicroBenchmarks;

/// <summary>
/// The typed tasks the benchmarks run: the source generator writes their enqueue stubs (<c>BenchTasks.Spool.*</c>),
/// payload decoders and the dispatch table registered with <see cref="SpoolTaskRegistry"/>.
/// </summary>
public static partial class BenchTasks
{
    private static long s_runs;

    /// <summary>Tasks run so far in this process (the memory run checks it).</summary>
    public static long Runs => Volatile.Read(ref s_runs);

    /// <summary>A realistic small task: two strings, a number and a Guid (with the name and ud_spool_ret: 6 keys).</summary>
    [Spool(Name = "bench.send_invoice")]
    public static void SendInvoice(string to, string subject, int copies, Guid invoiceId)
    {
        if (to.Length + subject.Length + copies == 0 || invoiceId == Guid.Empty)
        {
            throw new ArgumentException("empty invoice");
        }
        Interlocked.Increment(ref s_runs);
    }

    /// <summary>A task with a bulk body, handed over without a copy.</summary>
    [Spool(Name = "bench.store_blob")]
    public static void StoreBlob(string name, [Body] ReadOnlyMemory<byte> blob)
    {
        if (name.Length == 0 || blob.IsEmpty)
        {
            throw new ArgumentException("empty blob");
        }
        Interlocked.Increment(ref s_runs);
    }

    /// <summary>The trivial task of the memory run: one number.</summary>
    [Spool(Name = "bench.tick")]
    public static void Tick(long id)
    {
        if (id < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(id));
        }
        Interlocked.Increment(ref s_runs);
    }
}
