using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TypedSpool.Cli.Terminal;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary><c>typedspool stats --spool DIR [--json]</c>: counts, oldest age and bytes per task, priority and state.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var spool = new Option<string>("--spool") { Description = "Spool directory (TypedSpool's or uWSGI's).", Required = true };
        var json = new Option<bool>("--json") { Description = "JSON instead of a table." };
        var watch = new Option<double?>("--watch") { Description = "Refresh every this many seconds (in place on a terminal) until Ctrl+C." };
        var command = new Command("stats", "Count task files per task name, priority and state, with the oldest age and the bytes on disk.\n\nExamples:\n  typedspool stats --spool /var/spool/app\n  typedspool stats --spool /var/spool/app --watch 2")
        {
            spool, json, watch,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(watch) is not { } seconds)
            {
                return Print(result, spool, json);
            }
            if (!(seconds > 0)) return Failure.Report(ExitCodes.InvalidInput, $"--watch must be a positive number of seconds, not {seconds}.");
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!Console.IsOutputRedirected) Console.Out.Write("\u001b[H\u001b[2J"); // redraw in place on a terminal
                int code = Print(result, spool, json);
                if (code != ExitCodes.Ok) return code;
                Console.Out.Flush();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Print(ParseResult result, Option<string> spool, Option<bool> json)
    {
        var now = DateTimeOffset.UtcNow;
        var groups = new Dictionary<(string Task, int? Priority, SpoolEntryState State), (int Count, DateTimeOffset Oldest, long Bytes)>();
        try
        {
            foreach (var e in SpoolInspector.List(result.GetValue(spool)!, now))
            {
                var key = (e.TaskName ?? "-", e.Priority, e.State);
                groups[key] = groups.TryGetValue(key, out var g)
                    ? (g.Count + 1, e.DueAt < g.Oldest ? e.DueAt : g.Oldest, g.Bytes + e.Size)
                    : (1, e.DueAt, e.Size);
            }
        }
        catch (DirectoryNotFoundException ex)
        {
            return Failure.Report(ExitCodes.IoError, ex.Message);
        }
        var rows = groups.OrderBy(g => g.Key.Task, StringComparer.Ordinal).ThenBy(g => g.Key.Priority ?? -1).ThenBy(g => g.Key.State).ToList();
        if (result.GetValue(json))
        {
            using var stdout = Console.OpenStandardOutput();
            using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            writer.WriteStartObject();
            writer.WriteNumber("total", rows.Sum(r => r.Value.Count));
            writer.WriteNumber("bytes", rows.Sum(r => r.Value.Bytes));
            writer.WriteStartArray("groups");
            foreach (var (key, value) in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("task", key.Task);
                if (key.Priority is { } p) writer.WriteNumber("priority", p); else writer.WriteNull("priority");
                writer.WriteString("state", key.State.ToString());
                writer.WriteNumber("count", value.Count);
                writer.WriteNumber("oldest_age_s", Math.Round((now - value.Oldest).TotalSeconds, 3));
                writer.WriteNumber("bytes", value.Bytes);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            stdout.WriteByte((byte)'\n');
            return ExitCodes.Ok;
        }
        if (Screen.IsInteractive)
        {
            WriteTable(rows, now);
            return ExitCodes.Ok;
        }
        Console.Out.WriteLine($"{"TASK",-24} {"PRIO",4} {"STATE",-11} {"COUNT",7} {"OLDEST",8} {"BYTES",10}");
        foreach (var (key, value) in rows)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{key.Task,-24} {(key.Priority?.ToString(CultureInfo.InvariantCulture) ?? "-"),4} {key.State,-11} {value.Count,7} {ListCommand.Age(now - value.Oldest),8} {value.Bytes,10}"));
        }
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Sum(r => r.Value.Count)} task files, {rows.Sum(r => r.Value.Bytes)} bytes"));
        return ExitCodes.Ok;
    }

    private static void WriteTable(List<KeyValuePair<(string Task, int? Priority, SpoolEntryState State), (int Count, DateTimeOffset Oldest, long Bytes)>> rows, DateTimeOffset now)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Task").AddColumn(new TableColumn("Prio").RightAligned()).AddColumn("State")
            .AddColumn(new TableColumn("Count").RightAligned()).AddColumn(new TableColumn("Oldest").RightAligned())
            .AddColumn(new TableColumn("Bytes").RightAligned());
        foreach (var (key, value) in rows)
        {
            table.AddRow(Markup.Escape(key.Task), key.Priority?.ToString(CultureInfo.InvariantCulture) ?? "-", Screen.StateMarkup(key.State),
                value.Count.ToString("N0", CultureInfo.InvariantCulture), ListCommand.Age(now - value.Oldest),
                value.Bytes.ToString("N0", CultureInfo.InvariantCulture));
        }
        table.Caption(string.Create(CultureInfo.InvariantCulture, $"{rows.Sum(r => r.Value.Count):N0} task files, {rows.Sum(r => r.Value.Bytes):N0} bytes, at {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"));
        Screen.Out.Write(table);
    }
}
