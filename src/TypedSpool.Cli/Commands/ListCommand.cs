using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TypedSpool.Cli.Terminal;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary><c>typedspool ls --spool DIR [filters] [--sort KEY [--reverse]] [--json]</c>: what is queued, streamed unless sorted.</summary>
internal static class ListCommand
{
    /// <summary>Orders <c>ls --sort</c> offers; sorting holds the listing in memory, the default order streams.</summary>
    internal enum SortKey { None, Due, Size, Task, Priority, Attempt, State }

    public static Command Create()
    {
        var spool = new Option<string>("--spool") { Description = "Spool directory (TypedSpool's or uWSGI's).", Required = true };
        var json = new Option<bool>("--json") { Description = "One JSON array, streamed: path, state, priority, task, attempt, due, age_s, size, problem." };
        var filter = new EntryFilter("Only these states: Due, Scheduled, Locked, Dead, Quarantined, Held; repeat for more.");
        var sort = new Option<SortKey>("--sort") { Description = "Order by due (oldest first), size, task, priority, attempt or state; by default the order on disk, streamed." };
        var reverse = new Option<bool>("--reverse") { Description = "Reverse the --sort order (e.g. the largest or newest first)." };
        var command = new Command("ls",
            "List task files with their task name, priority, due time, attempt, age, size and state. Reads without locking.\n\n"
            + "Examples:\n  typedspool ls --spool /var/spool/app\n  typedspool ls --spool /var/spool/app --state Dead --sort due\n"
            + "  typedspool ls --spool /var/spool/app --sort size --reverse | head\n"
            + "  typedspool ls --spool /var/spool/app --state Dead --json | jq '.[].task'")
        {
            spool, json, sort, reverse,
        };
        foreach (var option in filter.Options) command.Options.Add(option);
        command.SetAction(result => RepairCommands.Guard(() =>
        {
            var now = DateTimeOffset.UtcNow;
            var entries = SpoolInspector.List(result.GetValue(spool)!, now).Where(filter.Build(result, now));
            entries = Sort(entries, result.GetValue(sort), result.GetValue(reverse));
            if (result.GetValue(json)) WriteJson(entries, now); else WriteText(entries, now);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static IEnumerable<SpoolEntry> Sort(IEnumerable<SpoolEntry> entries, SortKey key, bool reverse)
    {
        if (key == SortKey.None)
        {
            return reverse ? throw new ArgumentException("--reverse needs --sort.") : entries;
        }
        // Ties fall back to the due time, then the path, so that the order is the same on every run.
        Func<SpoolEntry, IComparable?> primary = key switch
        {
            SortKey.Size => e => e.Size,
            SortKey.Task => e => e.TaskName,
            SortKey.Priority => e => e.Priority ?? -1,
            SortKey.Attempt => e => e.Attempt,
            SortKey.State => e => e.State,
            _ => e => e.DueAt,
        };
        var sorted = reverse
            ? entries.OrderByDescending(primary).ThenByDescending(e => e.DueAt).ThenByDescending(e => e.Path, StringComparer.Ordinal)
            : entries.OrderBy(primary).ThenBy(e => e.DueAt).ThenBy(e => e.Path, StringComparer.Ordinal);
        return sorted;
    }

    private static void WriteJson(IEnumerable<SpoolEntry> entries, DateTimeOffset now)
    {
        try
        {
            WriteJsonTo(entries, now);
        }
        catch (IOException)
        {
            // The reader went away (`ls --json | head`): stop listing, as Unix tools do on a broken pipe.
        }
    }

    private static void WriteJsonTo(IEnumerable<SpoolEntry> entries, DateTimeOffset now)
    {
        // A raw stream on fd 1: Console's stream swallows EPIPE, and the listing would run on to the end unread.
        using var stdout = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        using var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        foreach (var e in entries)
        {
            json.WriteStartObject();
            json.WriteString("path", e.Path);
            json.WriteString("state", e.State.ToString());
            if (e.Priority is { } p) json.WriteNumber("priority", p); else json.WriteNull("priority");
            json.WriteString("task", e.TaskName);
            json.WriteNumber("attempt", e.Attempt);
            json.WriteString("due", e.DueAt);
            json.WriteNumber("age_s", Math.Round((now - e.DueAt).TotalSeconds, 3));
            json.WriteNumber("size", e.Size);
            if (e.Problem is not null) json.WriteString("problem", e.Problem);
            json.WriteEndObject();
            json.Flush(); // streamed: `ls --json | head` stops reading early and memory stays flat
        }
        json.WriteEndArray();
        json.Flush();
        stdout.WriteByte((byte)'\n');
    }

    /// <summary>
    /// Aligned columns, one line per task as soon as it is read (a table would need every row before drawing the
    /// first); the state is coloured on a terminal only.
    /// </summary>
    private static void WriteText(IEnumerable<SpoolEntry> entries, DateTimeOffset now)
    {
        bool colour = Screen.IsInteractive;
        var output = Console.Out;
        string heading = $"{"STATE",-11} {"PRIO",4} {"TASK",-24} {"ATT",3} {"DUE (UTC)",-19} {"AGE",8} {"SIZE",8}  FILE";
        if (colour) Screen.Lines.MarkupLine("[bold]" + Markup.Escape(heading) + "[/]"); else output.WriteLine(heading);
        int count = 0;
        foreach (var e in entries)
        {
            count++;
            string rest = string.Create(CultureInfo.InvariantCulture,
                $" {(e.Priority?.ToString(CultureInfo.InvariantCulture) ?? "-"),4} {Shorten(e.TaskName ?? "-", 24),-24} {e.Attempt,3} {e.DueAt.UtcDateTime,-19:yyyy-MM-dd HH:mm:ss} {Age(now - e.DueAt),8} {e.Size,8}  {Path.GetFileName(e.Path)}");
            if (colour) Screen.Lines.MarkupLine(Screen.StateMarkup(e.State, 11) + Markup.Escape(rest));
            else output.WriteLine($"{e.State,-11}{rest}");
        }
        if (colour) Screen.Lines.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[dim]{count} task file(s)[/]"));
    }

    internal static string Age(TimeSpan age) => age < TimeSpan.Zero ? "in " + Age(-age)
        : age.TotalSeconds < 120 ? $"{age.TotalSeconds:F0}s"
        : age.TotalMinutes < 120 ? $"{age.TotalMinutes:F0}m"
        : age.TotalHours < 48 ? $"{age.TotalHours:F0}h" : $"{age.TotalDays:F0}d";

    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
