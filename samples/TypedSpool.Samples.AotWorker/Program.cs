using System.Diagnostics;
using AotWorker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSpool;
using TypedSpool.Hosting;

// A spool worker on the Generic Host with typed [Spool] tasks, published with NativeAOT (no JIT, no reflection):
//   dotnet publish samples/TypedSpool.Samples.AotWorker -c Release -r linux-x64 -o out/aotworker
//   out/aotworker/TypedSpool.Samples.AotWorker --spool DIR [--journal FILE] [--enqueue N] [--until-empty]
// Any other argument is configuration, e.g. --TypedSpool:Spoolers:default:Processes=4 (or the environment variable
// TypedSpool__Spoolers__default__Processes=4). With no --spool it enqueues 10 tasks into a new temporary spool and
// stops once they have run. It prints "ready" when the host has started.
var watch = Stopwatch.StartNew();
string? spool = null;
string? journalPath = null;
int enqueue = 0;
bool untilEmpty = false;
var configurationArgs = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--spool" when i + 1 < args.Length:
            spool = Path.GetFullPath(args[++i]);
            break;
        case "--journal" when i + 1 < args.Length:
            journalPath = Path.GetFullPath(args[++i]);
            break;
        case "--enqueue" when i + 1 < args.Length && int.TryParse(args[i + 1], out enqueue) && enqueue >= 0:
            i++;
            break;
        case "--until-empty":
            untilEmpty = true;
            break;
        case "--help" or "-h":
            Console.WriteLine("usage: TypedSpool.Samples.AotWorker [--spool DIR] [--journal FILE] [--enqueue N] [--until-empty] [--Section:Key=value ...]");
            return 0;
        case var option when option.StartsWith("--", StringComparison.Ordinal) && option.Contains(':', StringComparison.Ordinal):
            configurationArgs.Add(option);
            break;
        default:
            Console.Error.WriteLine($"error: unexpected or incomplete argument '{args[i]}' (try --help)");
            return 2;
    }
}
if (spool is null)
{
    spool = Directory.CreateTempSubdirectory("aotworker-").FullName;
    enqueue = enqueue == 0 ? 10 : enqueue;
    untilEmpty = true;
}
Directory.CreateDirectory(spool);
var journal = new Journal(journalPath ?? Path.Combine(spool, "journal.log"));

// Defaults first; appsettings.json, the environment and the command line (added by the builder) override them.
var configuration = new ConfigurationManager();
configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["TypedSpool:Spoolers:default:Directory"] = spool,
    ["TypedSpool:Spoolers:default:Ordered"] = "true",
});
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. configurationArgs], Configuration = configuration });
builder.Services.AddSingleton(journal);
builder.Services.AddTypedSpool(builder.Configuration);
if (untilEmpty)
{
    builder.Services.AddHostedService(services => new DrainWatcher(
        spool, services.GetRequiredService<IHostApplicationLifetime>(), services.GetRequiredService<ILogger<DrainWatcher>>()));
}

using var host = builder.Build();
try
{
    if (enqueue > 0)
    {
        // The hosted service sets the stubs' default spooler when it starts; these tasks are written before that.
        Spooler.Default = host.Services.GetRequiredService<Spooler>();
        for (int i = 1; i <= enqueue; i++)
        {
            JournalTasks.Spool.Record($"entry-{i}", new EntrySource("aotworker", i));
        }
        Console.WriteLine($"Enqueued {enqueue} tasks into {spool}");
    }
    await host.StartAsync();
}
catch (OptionsValidationException ex)
{
    foreach (string failure in ex.Failures)
    {
        Console.Error.WriteLine($"error: {failure}");
    }
    return 1;
}
Console.WriteLine("ready");

await host.WaitForShutdownAsync();
Console.WriteLine($"Ran {journal.Count} tasks in {watch.Elapsed.TotalSeconds:0.000} s; journal: {journal.Path}");
return 0;
