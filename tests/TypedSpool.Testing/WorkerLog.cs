using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TypedSpool.Testing;

/// <summary>One line of the TestWorker's event log: what a handler saw.</summary>
public sealed record WorkerEvent(string Event, int Pid, string File, int Attempt, string? Result, int? Priority,
    IReadOnlyDictionary<string, string> Pairs, long BodyLength, string BodySha256)
{
    /// <summary>The task's <c>id</c> pair, if any.</summary>
    public string? Id => Pairs.GetValueOrDefault("id");

    /// <summary>True when the handler saw exactly the body the producer checksummed (its body_len and body_sha pairs).</summary>
    public bool IsWhole => Pairs.GetValueOrDefault("body_sha") == BodySha256
        && Pairs.GetValueOrDefault("body_len") == BodyLength.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Reads the TestWorker's event log (one JSON object per line).</summary>
public static class WorkerLog
{
    /// <summary>
    /// Every complete line; a missing log is empty. A line still being appended (no newline yet) is left for the next
    /// read, and a line cut by a kill mid-append, which the next writer's line then follows, is skipped.
    /// </summary>
    public static List<WorkerEvent> Read(string path)
    {
        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        var events = new List<WorkerEvent>();
        int end = text.LastIndexOf('\n');
        foreach (var line in end < 0 ? [] : text[..end].Split('\n'))
        {
            if (line.Length > 0 && Parse(line) is { } parsed)
            {
                events.Add(parsed);
            }
        }
        return events;
    }

    /// <summary>Completed runs (the handler returned); a run cut by a kill has a start only.</summary>
    public static List<WorkerEvent> Ends(string path) => [.. Read(path).Where(e => e.Event == "end")];

    private static WorkerEvent? Parse(string line)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
        using (json)
        {
            var root = json.RootElement;
            var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.GetProperty("pairs").EnumerateObject())
            {
                pairs[property.Name] = property.Value.GetString() ?? "";
            }
            return new WorkerEvent(
                root.GetProperty("event").GetString()!,
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("file").GetString()!,
                root.GetProperty("attempt").GetInt32(),
                root.TryGetProperty("result", out var result) ? result.GetString() : null,
                root.TryGetProperty("priority", out var priority) ? priority.GetInt32() : null,
                pairs,
                root.GetProperty("body_len").GetInt64(),
                root.GetProperty("body_sha256").GetString()!);
        }
    }
}
