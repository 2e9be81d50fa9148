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
        var filter = new EntryFilter("Only these states: Due, Scheduled, Dead, Quarantined, Held; repeat for more (Locked tasks are never purged).");
        var yes = new Option<bool>("--yes") { Description = "Delete for real; without it nothing is deleted and the tasks that would be are listed." };
        var command = new Command("purge",
            "Delete the tasks that match every filter given. A dry run unless --yes; running (locked) tasks are always kept.\n\n"
            + "Examples:\n  typedspool purge --spool /var/spool/app --state Dead --older-than-hours 168\n"
            + "  typedspool purge --spool /var/spool/app --state Dead --older-than-hours 168 --yes")
        {
            spool, yes,
        };
        foreach (var option in filter.Options) command.Options.Add(option);
        command.SetAction(result => RepairCommands.Guard(() =>
        {
            var now = DateTimeOffset.UtcNow;
            var matches = filter.Build(result, now);
            List<string> selected = [.. SpoolInspector.List(result.GetValue(spool)!, now)
                .Where(e => e.State != SpoolEntryState.Locked && matches(e)).Select(e => e.Path)];
            if (!result.GetValue(yes))
            {
                foreach (string path in selected) Console.Out.WriteLine(path);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dry run: {selected.Count} task(s) would be deleted; add --yes to delete them"));
                return ExitCodes.Ok;
            }
            return BulkChange.Run(selected, "deleted", path =>
            {
                SpoolRepair.Remove(path);
                return "deleted " + path;
            }, selected: true);
        }));
        return command;
    }
}
