namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>A running latency consumer (a child process or a uWSGI instance); disposing stops it, done or not.</summary>
internal sealed class LatencyConsumer(IDisposable process, Func<Task> waitDoneAsync) : IDisposable
{
    public Task WaitDoneAsync() => waitDoneAsync();

    public void Dispose() => process.Dispose();
}
