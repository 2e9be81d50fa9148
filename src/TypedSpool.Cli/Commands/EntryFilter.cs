using System.CommandLine;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary>The filters that ls, purge, requeue, hold and release share, so that one selection means the same everywhere.</summary>
internal sealed class EntryFilter
{
    public Option<SpoolEntryState[]> State { get; }
    public Option<string[]> Task { get; } = new("--task") { Description = "Only these task names (ud_spool_func); repeat for more." };
    public Option<int[]> Priority { get; } = new("--priority") { Description = "Only these priority directories; repeat for more." };
    public Option<double?> OlderThan { get; } = new("--older-than-hours") { Description = "Only tasks due more than this many hours ago." };

    public EntryFilter(string stateHelp)
    {
        State = new("--state") { Description = stateHelp };
    }

    public IEnumerable<Option> Options => [State, Task, Priority, OlderThan];

    /// <summary>True when the command line narrows the selection at all.</summary>
    public bool IsGiven(ParseResult result) =>
        result.GetValue(State) is { Length: > 0 } || result.GetValue(Task) is { Length: > 0 }
        || result.GetValue(Priority) is { Length: > 0 } || result.GetValue(OlderThan) is not null;

    public Func<SpoolEntry, bool> Build(ParseResult result, DateTimeOffset now)
    {
        var states = result.GetValue(State) ?? [];
        var tasks = result.GetValue(Task) ?? [];
        var priorities = result.GetValue(Priority) ?? [];
        double? hours = result.GetValue(OlderThan);
        if (hours is < 0 or double.NaN)
        {
            throw new ArgumentException($"--older-than-hours must be zero or more, not {hours}.");
        }
        return e => (states.Length == 0 || states.Contains(e.State))
            && (tasks.Length == 0 || (e.TaskName is not null && tasks.Contains(e.TaskName)))
            && (priorities.Length == 0 || (e.Priority is { } p && priorities.Contains(p)))
            && (hours is not { } h || now - e.DueAt > TimeSpan.FromHours(h));
    }
}
