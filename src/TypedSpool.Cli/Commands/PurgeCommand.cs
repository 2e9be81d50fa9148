using System.CommandLine;
using System.Globalization;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary><c>typedspool purge --spool DIR [filters] [--yes]</c>: delete many tasks; a dry run unless --yes.</summary>
internal static class PurgeCommand
{
    public static Command Create()
    {
        var spool = new Option<string>("--spool") { Description = "Spool directory.", Required = true };
        var state = new Option<SpoolEntryState?>("--state") { Description = "Only this state: Due, Scheduled, Dead, Quarantined (Locked tasks are never purged)." };
        var task = new Option<string?>("--task") { Description = "Only this task name (ud_spool_func)." };
        var priority = new Option<int?>("--priority") { Description = "Only this priority directory." };
        var olderThan = new Option<double?>("--older-than-hours") { Description = "Only tasks due more than this many hours ago." };
        var yes = new Option<bool>("--yes") { Description = "Delete for real; without it nothing is deleted and the tasks that would be are listed." };
        var command = new Command("purge", "Delete the tasks that match every filter given. A dry run unless --yes; running (locked) tasks are always kept.\n\nExamples:\n  typedspool purge --spool /var/spool/app --state Dead --older-than-hours 168\n  typedspool purge --spool /var/spool/app --state Dead --older-than-hours 168 --yes")
        {
            spool, state, task, priority, olderThan, yes,
        };
        command.SetAction(result =>
        {
            var now = DateTimeOffset.UtcNow;
            List<SpoolEntry> matches;
            try
            {
                matches = [.. SpoolInspector.List(result.GetValue(spool)!, now).Where(e =>
                    e.State != SpoolEntryState.Locked
                    && (result.GetValue(state) is not { } s || e.State == s)
                    && (result.GetValue(task) is not { } t || e.TaskName == t)
                    && (result.GetValue(priority) is not { } p || e.Priority == p)
                    && (result.GetValue(olderThan) is not { } h || now - e.DueAt > TimeSpan.FromHours(h)))];
            }
            catch (DirectoryNotFoundException ex)
            {
                return Failure.Report(ExitCodes.IoError, ex.Message);
            }
            if (!result.GetValue(yes))
            {
                foreach (var e in matches) Console.Out.WriteLine(e.Path);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dry run: {matches.Count} task(s) would be deleted; add --yes to delete them"));
                return ExitCodes.Ok;
            }
            int deleted = 0, busy = 0, gone = 0;
            foreach (var e in matches)
            {
                try
                {
                    SpoolRepair.Remove(e.Path);
                    deleted++;
                }
                catch (InvalidOperationException)
                {
                    busy++; // started running since it was listed: kept
                }
                catch (FileNotFoundException)
                {
                    gone++; // ran and finished since it was listed
                }
            }
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deleted {deleted} task(s); kept {busy} that started running; {gone} had already gone"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
