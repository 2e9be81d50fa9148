using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TypedSpool.Hosting;

// A worker host for cross-process schedule tests: `--spool DIR --log FILE`; prints "ready" once started, stops on SIGTERM.
string Arg(string name) => args[Array.IndexOf(args, name) + 1];
ScheduledTasks.LogPath = Arg("--log");

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Services.AddTypedSpool(options =>
{
    options.Spoolers["default"] = new SpoolDirectoryOptions { Directory = Arg("--spool"), Frequency = TimeSpan.FromSeconds(1) };
});
using var host = builder.Build();
await host.StartAsync();
Console.Out.WriteLine("ready");
Console.Out.Flush();
await host.WaitForShutdownAsync();
return 0;
