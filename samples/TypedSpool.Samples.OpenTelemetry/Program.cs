using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OtelSample;
using TypedSpool.Diagnostics;
using TypedSpool.Format;
using TypedSpool.Hosting;

// TypedSpool's telemetry through the OpenTelemetry SDK: a host runs a worker on a temporary spool, enqueues three
// typed tasks (one fails once and is retried), waits until the spool is empty and exits. The console exporter prints
// each span as it ends (an enqueue is a Producer span, each run a Consumer span in the same trace, continued through
// the traceparent key of the spool file) and, at exit, the TypedSpool counters and histograms.
//   dotnet run --project samples/TypedSpool.Samples.OpenTelemetry
// The library itself has no OpenTelemetry dependency: AddSource/AddMeter("TypedSpool") is all it takes. For a real
// backend, replace AddConsoleExporter() with AddOtlpExporter() (package OpenTelemetry.Exporter.OpenTelemetryProtocol).
string spool = Directory.CreateTempSubdirectory("typedspool-otel-").FullName;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
builder.Services.AddTypedSpool(builder.Configuration, options => options.Spoolers["default"] = new SpoolDirectoryOptions
{
    Directory = spool,
    RetryDelay = TimeSpan.FromMilliseconds(500), // retry quickly, for the demo
    RetryJitter = 0,
});
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("typedspool-otel-sample"))
    .WithTracing(tracing => tracing.AddSource(SpoolTelemetry.Name).AddConsoleExporter())
    .WithMetrics(metrics => metrics
        .AddMeter(SpoolTelemetry.Name)
        // The durations are in seconds; the SDK's default buckets (0, 5, 10, 25 ... 10000) are meant for milliseconds.
        .AddView("typedspool.task.*", new ExplicitBucketHistogramConfiguration { Boundaries = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60] })
        .AddConsoleExporter());

int exitCode = 0;
using (var host = builder.Build())
{
    await host.StartAsync(); // starts the tracer and meter providers, sets Spooler.Default and starts the worker

    ShopTasks.Spool.ResizeImage("cat.jpg", 320);
    ShopTasks.Spool.ResizeImage("dog.jpg", 640);
    ShopTasks.Spool.SendReceipt("ada@example.com");

    // The spool is empty once every task has succeeded (a retried task keeps its file until then).
    var waited = Stopwatch.StartNew();
    while (Directory.EnumerateFiles(spool, SpoolFileName.Prefix + "*").Any())
    {
        if (waited.Elapsed > TimeSpan.FromSeconds(30))
        {
            Console.Error.WriteLine($"error: the spool {spool} did not drain within 30 s");
            exitCode = 1;
            break;
        }
        await Task.Delay(50);
    }
    await host.StopAsync(); // running tasks finish first
} // disposing the host flushes the meter provider: the metrics are printed here

Directory.Delete(spool, recursive: true);
return exitCode;
