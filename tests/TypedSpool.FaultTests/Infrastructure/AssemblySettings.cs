using TypedSpool.FaultTests.Infrastructure;
using Xunit.Sdk;
using Xunit.v3;

// Scenarios kill processes on a timer and fill file systems; on a 2-core machine, running them side by side would
// make a slow run look like a fault and a fault look like a slow run.
[assembly: Parallelization(Mode = ParallelMode.None)]
[assembly: AssemblyFixture(typeof(FaultSummary))]
