using System.Text;
using System.Text.Json;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>One line of the TestWorker's event log: what a handler saw, written outside the faulted file system.</summary>
internal sealed record WorkerEvent(string Event, int Pid, string File, int Attempt, string? Result,
    IReadOnlyDictionary<string, string> Pairs, long BodyLength, string BodySha256)
{
    public string? Id => Pairs.GetValueOrDefault("id");

    /// <summary>True when the handler saw exactly the body the producer checksummed.</summary>
    public bool IsWhole => Pairs.GetValueOrDefault("body_sha") == BodySha256
        && Pairs.GetValueOrDefault("body_len") == BodyLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal static class WorkerLog
{
    /// <summary>Every complete line; a line cut by a kill mid-append is skipped (the append is one write, so rare).</summary>
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
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }
            using (json)
            {
                var root = json.RootElement;
                var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in root.GetProperty("pairs").EnumerateObject())
                {
                    pairs[property.Name] = property.Value.GetString() ?? "";
                }
                events.Add(new WorkerEvent(
                    root.GetProperty("event").GetString()!,
                    root.GetProperty("pid").GetInt32(),
                    root.GetProperty("file").GetString()!,
                    root.GetProperty("attempt").GetInt32(),
                    root.TryGetProperty("result", out var result) ? result.GetString() : null,
                    pairs,
                    root.GetProperty("body_len").GetInt64(),
                    root.GetProperty("body_sha256").GetString()!));
            }
        }
        return events;
    }

    /// <summary>Completed runs (the handler returned); a run cut by a kill has a start only.</summary>
    public static List<WorkerEvent> Ends(string path) => [.. Read(path).Where(e => e.Event == "end")];
}
