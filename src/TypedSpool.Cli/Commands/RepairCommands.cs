using System.CommandLine;
using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary><c>rm</c>, <c>requeue</c>, <c>hold</c>: change tasks under the runtime's lock and durability rules.</summary>
internal static class RepairCommands
{
    private static readonly string[] s_parked = ["dead", "quarantine", "held"];

    public static Command Remove()
    {
        var path = new Argument<string>("path") { Description = "The task file to delete." };
        var command = new Command("rm", "Delete one task file, unless a worker is running it.\n\nExample:\n  typedspool rm /var/spool/app/dead/uwsgi_spoolfile_on_host_1_1_42_1767225600_5") { path };
        command.SetAction(result => Run(() =>
        {
            SpoolRepair.Remove(result.GetValue(path)!);
            return "removed";
        }));
        return command;
    }

    public static Command Requeue()
    {
        var paths = new Argument<string[]>("paths") { Description = "Task files to run again (from dead/, quarantine/ or held/).", Arity = ArgumentArity.OneOrMore };
        var to = new Option<string?>("--to") { Description = "Directory to move them to; by default the spool that holds dead/, quarantine/ or held/ (in the task's priority directory)." };
        var reset = new Option<bool>("--reset-attempts") { Description = "Start the retry count again at 1." };
        var at = new Option<string?>("--at") { Description = "Due at this time (unix seconds or ISO 8601) instead of now." };
        var command = new Command("requeue", "Move dead, quarantined or held tasks back into the spool so that they run again.\n\nExample:\n  typedspool requeue --reset-attempts /var/spool/app/dead/uwsgi_spoolfile_on_*") { paths, to, reset, at };
        command.SetAction(result =>
        {
            DateTimeOffset? when = null;
            if (result.GetValue(at) is { } text)
            {
                if (!SendCommand.TryParseTime(text, out var parsed)) return Failure.Report(ExitCodes.InvalidInput, $"--at '{text}' is neither unix seconds nor an ISO 8601 date.");
                when = parsed;
            }
            foreach (var path in result.GetValue(paths)!)
            {
                int code = Run(() => SpoolRepair.Move(path, result.GetValue(to) ?? DefaultTarget(path), result.GetValue(reset), when));
                if (code != ExitCodes.Ok) return code;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Hold()
    {
        var path = new Argument<string>("path") { Description = "The task file to set aside." };
        var command = new Command("hold", "Set a queued task aside in <spool>/held/, where no worker looks; 'requeue' releases it.\n\nExample:\n  typedspool hold /var/spool/app/uwsgi_spoolfile_on_host_1_1_42_1767225600_5") { path };
        command.SetAction(result => Run(() =>
        {
            string full = Path.GetFullPath(result.GetValue(path)!);
            string directory = Path.GetDirectoryName(full)!;
            string spool = SpoolFileName.IsDigits(Path.GetFileName(directory)) ? Path.GetDirectoryName(directory)! : directory;
            return SpoolRepair.Move(full, Path.Combine(spool, "held"), resetAttempts: false, File.GetLastWriteTimeUtc(full));
        }));
        return command;
    }

    private static string DefaultTarget(string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!s_parked.Contains(Path.GetFileName(directory)))
        {
            throw new ArgumentException($"'{path}' is not in a dead/, quarantine/ or held/ directory; say where it goes with --to.");
        }
        string spool = Path.GetDirectoryName(directory)!;
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

    private static int Run(Func<string> change)
    {
        try
        {
            Console.Out.WriteLine(change());
            return ExitCodes.Ok;
        }
        catch (ArgumentException ex)
        {
            return Failure.Report(ExitCodes.InvalidInput, ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return Failure.Report(ExitCodes.Busy, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failure.Report(ExitCodes.IoError, ex.Message);
        }
    }
}
