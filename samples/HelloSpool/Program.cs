using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using TypedSpool;
using TypedSpool.Format;

// HelloSpool: a producer and a worker sharing a real spool directory.
//   dotnet run --project samples/HelloSpool [-- --spool DIR] [--tasks N]
// The producer writes N "thumbnail" tasks (some with a priority), one "email" task that fails on its first
// attempt and succeeds on the retry, and one "report" task scheduled two seconds ahead. The worker runs them
// all, writing its results under DIR/out, and the program exits when the spool is empty.

string spoolDirectory = Argument("--spool") ?? Path.Combine(Path.GetTempPath(), "hellospool-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
int thumbnails = int.Parse(Argument("--tasks") ?? "20", CultureInfo.InvariantCulture);
string outputDirectory = Path.Combine(spoolDirectory, "out");
Directory.CreateDirectory(outputDirectory);

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
var log = loggerFactory.CreateLogger("HelloSpool");

// Producer: durable enqueues (fsync of file and directory before each call returns).
var spooler = new Spooler(spoolDirectory);
var clock = Stopwatch.StartNew();
for (int i = 1; i <= thumbnails; i++)
{
    var image = new byte[4096];
    Random.Shared.NextBytes(image);
    spooler.Enqueue(Task("thumbnail", ("image", $"photo-{i:D3}.jpg")).WithBody(image), new SpoolOptions { Priority = i % 3 == 0 ? 1 : null });
}
spooler.Enqueue(Task("email", ("to", "ada@example.com"), ("subject", "Your thumbnails are ready")));
var report = spooler.Enqueue(Task("report", ("period", "daily")), new SpoolOptions { Delay = TimeSpan.FromSeconds(2) });
int expected = thumbnails + 2;
log.LogInformation("Enqueued {Count} tasks into {Directory} in {Elapsed} ms (report due at {At:T})", expected, spoolDirectory, clock.ElapsedMilliseconds, report.At);

// Worker: ordered, so priority 1 runs before the rest; failures retry after one second.
int done = 0;
using var finished = new CancellationTokenSource(TimeSpan.FromMinutes(2));
var handler = new DelegateSpoolTaskHandler((task, _) =>
{
    switch (task.Name)
    {
        case "thumbnail":
            string image = task.Packet.GetText("image")!;
            var digest = Convert.ToHexStringLower(SHA256.HashData(task.Body.Span))[..16];
            File.WriteAllText(Path.Combine(outputDirectory, image + ".thumb"), digest);
            log.LogInformation("thumbnail {Image} (priority {Priority}) -> {Digest}", image, task.Priority?.ToString(CultureInfo.InvariantCulture) ?? "none", digest);
            break;
        case "email" when task.Attempt == 1:
            throw new InvalidOperationException("SMTP server busy (the sample fails the first attempt on purpose)");
        case "email":
            log.LogInformation("email to {To} sent on attempt {Attempt}", task.Packet.GetText("to"), task.Attempt);
            break;
        case "report":
            log.LogInformation("report ran {Late:F0} ms after its scheduled time", (DateTimeOffset.UtcNow - report.At!.Value).TotalMilliseconds);
            break;
        default:
            return ValueTask.FromResult(SpoolResult.Ignore);
    }
    if (Interlocked.Increment(ref done) == expected)
    {
        finished.Cancel();
    }
    return ValueTask.FromResult(SpoolResult.Ok);
});

var options = new SpoolWorkerOptions
{
    Directory = spoolDirectory,
    Ordered = true,
    RetryPolicy = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(1) },
};
await using (var worker = new SpoolWorker(options, handler, loggerFactory.CreateLogger<SpoolWorker>()))
{
    await worker.RunAsync(finished.Token);
}

int left = Directory.GetFiles(spoolDirectory, SpoolFileName.Prefix + "*", SearchOption.AllDirectories).Length;
log.LogInformation("{Done}/{Expected} tasks done in {Elapsed} ms; {Left} task files left; results in {Output}", done, expected, clock.ElapsedMilliseconds, left, outputDirectory);
return done == expected && left == 0 ? 0 : 1;

static SpoolPacket Task(string name, params (string Key, string Value)[] arguments)
    => SpoolPacket.FromText([KeyValuePair.Create(SpoolKeys.TaskName, name), .. arguments.Select(a => KeyValuePair.Create(a.Key, a.Value))]);

string? Argument(string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
