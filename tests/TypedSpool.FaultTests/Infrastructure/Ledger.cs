using System.Collections.Concurrent;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>
/// What the producers were told and what the handlers saw, both kept outside the faulted file system: ids attempted,
/// ids acknowledged (the enqueue returned), and the worker's log of runs. <see cref="Reconcile"/> turns it into the
/// verdict every scenario asserts.
/// </summary>
internal sealed class Ledger
{
    private readonly ConcurrentDictionary<string, byte> _attempted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _acknowledged = new(StringComparer.Ordinal);

    public int AttemptedCount => _attempted.Count;

    public int AcknowledgedCount => _acknowledged.Count;

    public bool IsAcknowledged(string id) => _acknowledged.ContainsKey(id);

    public void Attempt(string id) => _attempted.TryAdd(id, 0);

    public void Acknowledge(string id)
    {
        _attempted.TryAdd(id, 0);
        _acknowledged.TryAdd(id, 0);
    }

    /// <summary>Reads a producer's stdout (<c>try ID</c> / <c>ack ID</c> / <c>fail ID …</c> lines); returns the failure lines.</summary>
    public List<string> RecordProducerOutput(string stdout)
    {
        var failures = new List<string>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("try ", StringComparison.Ordinal))
            {
                Attempt(line[4..]);
            }
            else if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                Acknowledge(line[4..]);
            }
            else if (line.StartsWith("fail ", StringComparison.Ordinal))
            {
                Attempt(line.Split(' ')[1]);
                failures.Add(line);
            }
        }
        return failures;
    }

    /// <summary>
    /// Checks the invariants. A second completed run of an id is allowed only when <paramref name="inCrashWindow"/>
    /// says the earlier one was cut between the handler's return and the deletion of its file.
    /// </summary>
    public Verdict Reconcile(IReadOnlyList<WorkerEvent> events, SpoolContents spool, Func<WorkerEvent, bool>? inCrashWindow = null)
    {
        // A run that threw or asked for a retry is an attempt, not an execution.
        var ends = events.Where(e => e.Event == "end" && e.Result == "ok" && e.Id is not null).ToList();
        var executed = ends.Select(e => e.Id!).ToHashSet(StringComparer.Ordinal);
        var queued = spool.QueuedIds.ToHashSet(StringComparer.Ordinal);
        var lost = _acknowledged.Keys.Where(id => !executed.Contains(id) && !queued.Contains(id)).Order(StringComparer.Ordinal).ToList();
        var torn = events.Where(e => !e.IsWhole).Select(e => $"{e.Id ?? e.File} ({e.BodyLength} bytes)").ToList();
        var strangers = executed.Where(id => !_attempted.ContainsKey(id)).ToList();

        int duplicated = 0;
        var unexplained = new List<string>();
        foreach (var group in ends.GroupBy(e => e.Id!, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var runs = group.ToList();
            duplicated += runs.Count - 1;
            // Every run but the last must have been cut before its file was deleted.
            foreach (var earlier in runs.Take(runs.Count - 1))
            {
                if (inCrashWindow is null || !inCrashWindow(earlier))
                {
                    unexplained.Add($"{group.Key}: {string.Join(", ", runs.Select(r => $"pid {r.Pid} attempt {r.Attempt}"))}");
                    break;
                }
            }
        }
        return new Verdict(_acknowledged.Count, executed.Count, lost, duplicated, unexplained, torn, strangers, spool);
    }

    /// <summary>
    /// The documented crash window of a SIGKILLed worker: its last <paramref name="concurrency"/> completed runs may
    /// not have deleted their files yet.
    /// </summary>
    public static Func<WorkerEvent, bool> KilledWorkers(IReadOnlyList<WorkerEvent> events, IReadOnlyCollection<int> killedPids, int concurrency)
    {
        var lastEnds = new HashSet<WorkerEvent>();
        foreach (int pid in killedPids)
        {
            foreach (var e in events.Where(e => e.Event == "end" && e.Result == "ok" && e.Pid == pid).TakeLast(concurrency))
            {
                lastEnds.Add(e);
            }
        }
        return lastEnds.Contains;
    }
}

/// <summary>The outcome of a scenario against its ledger.</summary>
internal sealed record Verdict(int Acknowledged, int Executed, IReadOnlyList<string> Lost, int Duplicated,
    IReadOnlyList<string> UnexplainedDuplicates, IReadOnlyList<string> Torn, IReadOnlyList<string> Strangers, SpoolContents Spool)
{
    /// <summary>Asserts every invariant; quarantine is expected to be empty unless the scenario wrote bad files.</summary>
    public void AssertHolds(string context, bool quarantineMayHoldFiles = false)
    {
        var problems = new List<string>();
        if (Lost.Count > 0) problems.Add($"{Lost.Count} acknowledged task(s) lost: {string.Join(", ", Lost.Take(20))}");
        if (UnexplainedDuplicates.Count > 0) problems.Add($"{UnexplainedDuplicates.Count} duplicate(s) outside the crash window: {string.Join("; ", UnexplainedDuplicates.Take(10))}");
        if (Torn.Count > 0) problems.Add($"{Torn.Count} partial task(s) executed: {string.Join(", ", Torn.Take(10))}");
        if (Strangers.Count > 0) problems.Add($"{Strangers.Count} executed id(s) nobody enqueued: {string.Join(", ", Strangers.Take(10))}");
        if (Spool.InvalidQueued.Count > 0) problems.Add($"{Spool.InvalidQueued.Count} torn task file(s) visible under a task name: {string.Join(", ", Spool.InvalidQueued.Take(5))}");
        if (!quarantineMayHoldFiles && Spool.Quarantined.Count > 0) problems.Add($"{Spool.Quarantined.Count} valid task(s) quarantined: {string.Join(", ", Spool.Quarantined.Take(5))}");
        Assert.True(problems.Count == 0, $"{context}:\n{string.Join('\n', problems)}");
    }

    public FaultRow Row(string scenario, int runs, string note = "")
        => new(scenario, runs, Acknowledged, Executed, Lost.Count, Duplicated, Spool.Quarantined.Count, note);
}
