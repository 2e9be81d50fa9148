using System.Diagnostics;

namespace TypedSpool.FaultTests.Infrastructure;

internal static class Wait
{
    /// <summary>Polls until <paramref name="condition"/> holds; on timeout fails with the description.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe, int pollMs = 50)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s: {describe()}");
            }
            await Task.Delay(pollMs, TestContext.Current.CancellationToken);
        }
    }
}
