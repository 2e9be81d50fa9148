using System.CommandLine;
using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary><c>requeue</c> (alias <c>retry</c>), <c>release</c>, <c>hold</c>, <c>rm</c>: change tasks under the runtime's lock and durability rules.</summary>
internal static class RepairCommands
{
    private static readonly SpoolEntryState[] s_parked = [SpoolEntryState.Dead, SpoolEntryState.Quarantined, SpoolEntryState.Held];

    public static Command Requeue()
    {
        var command = MoveBack("requeue",
            "Move dead, quarantined or held tasks back into the spool (into the task's priority directory) so that they run again.\n"
            + "Name the task files, or give --spool and filters to requeue every match (Dead and Quarantined unless --state says otherwise).\n\n"
            + "Examples:\n  typedspool requeue --spool /var/spool/app --state Dead --task send_mail --reset-attempts\n"
            + "  typedspool retry --spool /var/spool/app uwsgi_spoolfile_on_host_1_1_42_1767225600_5\n"
            + "  typedspool requeue --at 2030-01-01T08:00:00Z /var/spool/app/dead/uwsgi_spoolfile_on_*",
            s_parked, [SpoolEntryState.Dead, SpoolEntryState.Quarantined], keepDueTime: false);
        command.Aliases.Add("retry");
        return command;
    }

    public static Command Release() => MoveBack("release",
        "Put held tasks back into the spool (into the task's priority directory), keeping their due time unless --at is given.\n"
        + "Name the task files, or give --spool (and filters) to release every held task that matches.\n\n"
        + "Examples:\n  typedspool release --spool /var/spool/app --task send_mail\n"
        + "  typedspool release --spool /var/spool/app uwsgi_spoolfile_on_host_1_1_42_1767225600_5",
        [SpoolEntryState.Held], [SpoolEntryState.Held], keepDueTime: true);

    /// <summary>requeue and release: the same move back into the spool, from different parking places.</summary>
    private static Command MoveBack(string name, string description, SpoolEntryState[] allowed, SpoolEntryState[] byDefault, bool keepDueTime)
    {
        var tasks = TasksArgument("Task files: paths, or file names found in --spool.");
        var spool = SpoolOption();
        var filter = new EntryFilter($"Only these states ({string.Join(", ", allowed)}); repeat for more.");
        var to = new Option<string?>("--to") { Description = "Directory to move them to; by default the spool that holds them (in the task's priority directory)." };
        var reset = new Option<bool>("--reset-attempts") { Description = "Start the retry count again at 1." };
        var at = new Option<string?>("--at") { Description = "Due at this time (unix seconds or ISO 8601); by default now (requeue) or its own due time (release)." };
        var command = new Command(name, description) { tasks, spool, to, reset, at };
        foreach (var option in filter.Options) command.Options.Add(option);
        command.SetAction(result => Guard(() =>
        {
            DateTimeOffset? when = null;
            if (result.GetValue(at) is { } text)
            {
                when = SendCommand.TryParseTime(text, out var parsed) ? parsed
                    : throw new ArgumentException($"--at '{text}' is neither unix seconds nor an ISO 8601 date.");
            }
            RequireStates(result, filter, allowed, name);
            var (targets, selected) = Select(result, tasks, spool, filter, e => (result.GetValue(filter.State) is { Length: > 0 } ? allowed : byDefault).Contains(e.State));
            return BulkChange.Run(targets, name + "d", path =>
            {
                if (!selected && result.GetValue(to) is null && !allowed.Any(s => IsIn(path, s)))
                {
                    throw new ArgumentException($"'{path}' is not in {string.Join(" or ", allowed.Select(ParkingDirectory))}/; say where it goes with --to.");
                }
                DateTimeOffset? due = when ?? (keepDueTime ? File.GetLastWriteTimeUtc(path) : null);
                return SpoolRepair.Move(path, result.GetValue(to) ?? DefaultTarget(path), result.GetValue(reset), due);
            }, selected);
        }));
        return command;
    }

    public static Command Hold()
    {
        var tasks = TasksArgument("Task files to set aside: paths, or file names found in --spool.");
        var spool = SpoolOption();
        var filter = new EntryFilter("Only these states (Due, Scheduled); repeat for more.");
        var all = new Option<bool>("--all") { Description = "With --spool and no filter: hold every queued task (pause the whole spool)." };
        var command = new Command("hold",
            "Set queued tasks aside in <spool>/held/, where no worker looks, keeping their due time; 'release' puts them back.\n"
            + "Name the task files, or give --spool with filters (or --all). Running tasks are left alone.\n\n"
            + "Examples:\n  typedspool hold --spool /var/spool/app --task send_mail\n"
            + "  typedspool hold --spool /var/spool/app uwsgi_spoolfile_on_host_1_1_42_1767225600_5")
        {
            tasks, spool, all,
        };
        foreach (var option in filter.Options) command.Options.Add(option);
        command.SetAction(result => Guard(() =>
        {
            if (result.GetValue(tasks) is not { Length: > 0 } && result.GetValue(spool) is not null && !filter.IsGiven(result) && !result.GetValue(all))
            {
                throw new ArgumentException("hold with --spool needs a filter (--task, --priority, --state, --older-than-hours) or --all, so that a whole spool is never paused by accident.");
            }
            RequireStates(result, filter, [SpoolEntryState.Due, SpoolEntryState.Scheduled], "hold");
            var (targets, selected) = Select(result, tasks, spool, filter, e => e.State is SpoolEntryState.Due or SpoolEntryState.Scheduled);
            return BulkChange.Run(targets, "held", path =>
            {
                if (s_parked.Any(s => IsIn(path, s)))
                {
                    throw new ArgumentException($"'{path}' is not queued (it is in {Path.GetFileName(Path.GetDirectoryName(path))}/).");
                }
                string held = Path.Combine(TaskLocator.SpoolOf(path), SpoolLayout.Held);
                return SpoolRepair.Move(path, held, resetAttempts: false, File.GetLastWriteTimeUtc(path));
            }, selected);
        }));
        return command;
    }

    public static Command Remove()
    {
        var tasks = TasksArgument("Task files to delete: paths, or file names found in --spool.");
        tasks.Arity = ArgumentArity.OneOrMore;
        var spool = SpoolOption();
        var command = new Command("rm",
            "Delete task files, unless a worker is running them (exit code 4). To delete by filter, use purge.\n\n"
            + "Examples:\n  typedspool rm /var/spool/app/dead/uwsgi_spoolfile_on_host_1_1_42_1767225600_5\n"
            + "  typedspool rm --spool /var/spool/app uwsgi_spoolfile_on_host_1_1_42_1767225600_5")
        {
            tasks, spool,
        };
        command.SetAction(result => Guard(() =>
        {
            var targets = result.GetValue(tasks)!.Select(t => TaskLocator.Resolve(t, result.GetValue(spool))).ToList();
            return BulkChange.Run(targets, "removed", path =>
            {
                SpoolRepair.Remove(path);
                return "removed " + path;
            }, selected: false);
        }));
        return command;
    }

    internal static Argument<string[]> TasksArgument(string description) => new("tasks") { Description = description, Arity = ArgumentArity.ZeroOrMore };

    internal static Option<string?> SpoolOption() => new("--spool") { Description = "Spool directory: where bare task file names are looked up, and what filters select from." };

    /// <summary>The files a command works on: the ones named, or with --spool and no names, every entry that the filters and <paramref name="eligible"/> select.</summary>
    private static (List<string> Targets, bool Selected) Select(ParseResult result, Argument<string[]> tasks, Option<string?> spool, EntryFilter filter, Func<SpoolEntry, bool> eligible)
    {
        string? spoolDirectory = result.GetValue(spool);
        if (result.GetValue(tasks) is { Length: > 0 } named)
        {
            if (filter.IsGiven(result))
            {
                throw new ArgumentException("Give task files or filters, not both.");
            }
            return ([.. named.Select(t => TaskLocator.Resolve(t, spoolDirectory))], false);
        }
        if (spoolDirectory is null)
        {
            throw new ArgumentException("Name the task files, or give the spool with --spool DIR to select them by filter.");
        }
        var now = DateTimeOffset.UtcNow;
        var matches = filter.Build(result, now);
        return ([.. SpoolInspector.List(spoolDirectory, now).Where(e => eligible(e) && matches(e)).Select(e => e.Path)], true);
    }

    private static void RequireStates(ParseResult result, EntryFilter filter, SpoolEntryState[] allowed, string verb)
    {
        var wrong = (result.GetValue(filter.State) ?? []).Where(s => !allowed.Contains(s)).ToList();
        if (wrong.Count > 0)
        {
            throw new ArgumentException($"{verb} works on {string.Join(", ", allowed)} tasks, not {string.Join(", ", wrong)} ones.");
        }
    }

    private static string ParkingDirectory(SpoolEntryState state) => state switch
    {
        SpoolEntryState.Dead => SpoolLayout.Dead,
        SpoolEntryState.Quarantined => SpoolLayout.Quarantine,
        _ => SpoolLayout.Held,
    };

    private static bool IsIn(string path, SpoolEntryState parked) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) == ParkingDirectory(parked);

    /// <summary>The spool that holds the parking directory, in the priority directory the task's own packet names.</summary>
    private static string DefaultTarget(string path)
    {
        string spool = TaskLocator.SpoolOf(path);
        try
        {
            string? priority = SpoolSchedule.ValidatePriority(SpoolPacketCodec.Decode(File.ReadAllBytes(path)).GetText(SpoolKeys.Priority));
            return priority is null ? spool : Path.Combine(spool, priority);
        }
        catch (Exception ex) when (ex is SpoolFormatException or ArgumentException)
        {
            return spool; // undecodable or odd priority: the top level
        }
    }

    /// <summary>Turns the errors a user can cause into one line and an exit code.</summary>
    internal static int Guard(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (ArgumentException ex)
        {
            return Failure.Report(ExitCodes.InvalidInput, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failure.Report(ExitCodes.IoError, ex.Message);
        }
    }
}
