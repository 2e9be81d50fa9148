namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>A run that did not complete (tasks missing, a process died, a timeout): the harness exits non-zero.</summary>
internal sealed class BenchmarkFailure(string message) : Exception(message);
