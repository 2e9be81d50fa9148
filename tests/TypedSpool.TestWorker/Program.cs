using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TypedSpool;

// A worker process for cross-process tests. Every run appends one JSON line per event to --log with what the
// handler saw; the packet's keys steer it: sleep_ms (pause before finishing), result (ok|retry|ignore|throw),
// fail_until_attempt (throw while the attempt is below it). With --produce it is a producer instead (Producer.cs).
var settings = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument {args[i]}");
    bool isFlag = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
    settings[args[i][2..]] = isFlag ? "true" : args[++i];
}
if (settings.ContainsKey("produce"))
{
    return Producer.Run(settings);
}
string logPath = settings["log"];
int Int(string name, int fallback) => settings.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

var options = new SpoolWorkerOptions
{
    Directory = settings["spool"],
    Ordered = settings.ContainsKey("ordered"),
    Concurrency = Int("concurrency", 1),
    Frequency = TimeSpan.FromMilliseconds(Int("frequency-ms", 30_000)),
    WatchForChanges = !settings.ContainsKey("no-watch"),
    RecycleFiles = !settings.ContainsKey("no-recycle"),
    RetryPolicy = new RetryPolicy
    {
        MaxAttempts = Int("max-attempts", 10),
        InitialDelay = TimeSpan.FromMilliseconds(Int("initial-delay-ms", 2000)),
        Jitter = 0,
    },
};

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

await using var worker = new SpoolWorker(options, new DelegateSpoolTaskHandler(async (task, ct) =>
{
    Log("start", task);
    if (task.Packet.GetText("sleep_ms") is { } sleep)
    {
        await Task.Delay(int.Parse(sleep, CultureInfo.InvariantCulture), CancellationToken.None);
    }
    string result = task.Packet.GetText("result") ?? "ok";
    if (task.Packet.GetText("fail_until_attempt") is { } until && task.Attempt < int.Parse(until, CultureInfo.InvariantCulture))
    {
        result = "throw";
    }
    Log("end", task, result);
    return result switch
    {
        "ok" => SpoolResult.Ok,
        "retry" => SpoolResult.Retry,
        "ignore" => SpoolResult.Ignore,
        "throw" => throw new InvalidOperationException("the task asked to fail"),
        _ => throw new ArgumentException($"unknown result {result}"),
    };
}));

Console.Out.WriteLine("ready");
Console.Out.Flush();
await worker.RunAsync(stop.Token);
return 0;

void Log(string @event, SpoolTask task, string? result = null)
{
    using var buffer = new MemoryStream();
    using (var json = new Utf8JsonWriter(buffer))
    {
        json.WriteStartObject();
        json.WriteString("event", @event);
        json.WriteNumber("pid", Environment.ProcessId);
        json.WriteString("file", task.FileName);
        json.WriteString("name", task.Name);
        json.WriteNumber("attempt", task.Attempt);
        if (result is not null) json.WriteString("result", result);
        if (task.Priority is { } p) json.WriteNumber("priority", p);
        json.WriteStartObject("pairs");
        foreach (var pair in task.Packet.Pairs)
        {
            json.WriteString(pair.KeyText, pair.ValueText);
        }
        json.WriteEndObject();
        json.WriteNumber("body_len", task.Body.Length);
        json.WriteString("body_sha256", Convert.ToHexStringLower(SHA256.HashData(task.Body.Span)));
        json.WriteEndObject();
    }
    buffer.WriteByte((byte)'\n');
    AppendLog.WriteLine(logPath, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
}
