namespace TypedSpool.Benchmarks.EndToEnd.Child;

/// <summary>One system's producer and consumer, as a child process uses them; the phases are the same for all.</summary>
internal interface IChildSystem
{
    /// <summary>A producer on the store (a spool directory or a database); <paramref name="store"/> is created if missing.</summary>
    IBenchProducer OpenProducer(string store);

    /// <summary>Starts consuming the store; returns once the consumer is up. Each run calls <see cref="TaskRecorder.Record"/>.</summary>
    Task<IAsyncDisposable> StartConsumerAsync(string store);
}

internal interface IBenchProducer
{
    /// <summary>Runs the enqueue path <paramref name="count"/> times where the measured consumer will not see it (JIT, connections).</summary>
    void WarmUp(int count);

    void Enqueue(long id, long enqueuedNs);
}
