using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary><c>typedspool ls --spool DIR [--json] [--state S] [--task NAME] [--priority P]</c>: what is queued, streamed.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var spool = new Option<string>("--spool") { Description = "Spool directory (TypedSpool's or uWSGI's).", Required = true };
        var json = new Option<bool>("--json") { Description = "One JSON array, streamed: path, state, priority, task, attempt, due, age_s, size, problem." };
        var state = new Option<SpoolEntryState?>("--state") { Description = "Only this state: Due, Scheduled, Locked, Dead, Quarantined." };
        var task = new Option<string?>("--task") { Description = "Only this task name (ud_spool_func)." };
        var priority = new Option<int?>("--priority") { Description = "Only this priority directory." };
        var command = new Command("ls", "List task files with their task name, priority, due time, attempt, age, size and state. Reads without locking.\n\nExamples:\n  typedspool ls --spool /var/spool/app\n  typedspool ls --spool /var/spool/app --state Dead --json | jq '.[].task'")
        {
            spool, json, state, task, priority,
        };
        command.SetAction(result =>
        {
            var now = DateTimeOffset.UtcNow;
            try
            {
                var entries = SpoolInspector.List(result.GetValue(spool)!, now).Where(e =>
                    (result.GetValue(state) is not { } s || e.State == s)
                    && (result.GetValue(task) is not { } t || e.TaskName == t)
                    && (result.GetValue(priority) is not { } p || e.Priority == p));
                if (result.GetValue(json)) WriteJson(entries, now); else WriteText(entries, now);
                return ExitCodes.Ok;
            }
            catch (DirectoryNotFoundException ex)
            {
                return Failure.Report(ExitCodes.IoError, ex.Message);
            }
        });
        return command;
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

    private static void WriteText(IEnumerable<SpoolEntry> entries, DateTimeOffset now)
    {
        var output = Console.Out;
        output.WriteLine($"{"STATE",-11} {"PRIO",4} {"TASK",-24} {"ATT",3} {"DUE (UTC)",-19} {"AGE",8} {"SIZE",8}  FILE");
        foreach (var e in entries)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{e.State,-11} {(e.Priority?.ToString(CultureInfo.InvariantCulture) ?? "-"),4} {Shorten(e.TaskName ?? "-", 24),-24} {e.Attempt,3} {e.DueAt.UtcDateTime,-19:yyyy-MM-dd HH:mm:ss} {Age(now - e.DueAt),8} {e.Size,8}  {Path.GetFileName(e.Path)}"));
        }
    }

    internal static string Age(TimeSpan age) => age < TimeSpan.Zero ? "in " + Age(-age)
        : age.TotalSeconds < 120 ? $"{age.TotalSeconds:F0}s"
        : age.TotalMinutes < 120 ? $"{age.TotalMinutes:F0}m"
        : age.TotalHours < 48 ? $"{age.TotalHours:F0}h" : $"{age.TotalDays:F0}d";

    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
