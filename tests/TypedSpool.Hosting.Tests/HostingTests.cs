using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TypedSpool.Testing;

namespace TypedSpool.Hosting.Tests;

/// <summary>TypedSpool on a real Generic Host, real directories.</summary>
[Collection(nameof(HostingTests))] // Spooler.Default and Recorder.Calls are process-wide
public class HostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddScoped<HostTasks>();
        builder.Services.AddTypedSpool(builder.Configuration);
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "timed out waiting: " + what);
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Configuration_binds_spools_and_the_host_runs_typed_tasks_from_the_container()
    {
        using var main = new TempSpool("main");
        using var mail = new TempSpool("mail");
        Recorder.Calls.Clear();
        using var host = BuildHost(new()
        {
            ["TypedSpool:Default"] = "main",
            ["TypedSpool:Spoolers:main:Directory"] = main.Path,
            ["TypedSpool:Spoolers:main:Frequency"] = "00:00:05",
            ["TypedSpool:Spoolers:mail:Directory"] = mail.Path,
            ["TypedSpool:Spoolers:mail:Processes"] = "2",
            ["TypedSpool:Spoolers:mail:Ordered"] = "true",
            ["TypedSpool:Spoolers:mail:RecycleFiles"] = "false",
        });
        var options = host.Services.GetRequiredService<IOptions<TypedSpoolHostOptions>>().Value;
        Assert.False(options.Spoolers["mail"].RecycleFiles);
        Assert.True(options.Spoolers["main"].RecycleFiles);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Spoolers["main"].Frequency);
        Assert.Equal(2, options.Spoolers["mail"].Processes);
        Assert.True(options.Spoolers["mail"].Ordered);

        await host.StartAsync(Ct);
        try
        {
            Assert.Same(host.Services.GetRequiredService<Spooler>(), Spooler.Default);
            var first = HostTasks.Spool.RecordIt("to-main");
            var second = HostTasks.Spool.Static("to-mail", new SpoolOptions { Spooler = "mail", Priority = 1 });
            Assert.Equal(main.Path, Path.GetDirectoryName(first.Path));
            Assert.Equal(Path.Combine(mail.Path, "1"), Path.GetDirectoryName(second.Path));

            await WaitUntilAsync(() => Recorder.Calls.Count == 2, "both tasks ran");
            Assert.Equal(["static:to-mail", "to-main"], Recorder.Calls.Order(StringComparer.Ordinal));
            await WaitUntilAsync(() => main.TaskFiles().Length == 0 && mail.TaskFiles("1").Length == 0, "both files deleted");
            // main's worker recycles its finished file; mail's, configured not to, unlinks it.
            Assert.Single(Directory.GetFiles(main.Combine(TypedSpool.Storage.SpoolLayout.Recycled)));
            Assert.False(Directory.Exists(mail.Combine(TypedSpool.Storage.SpoolLayout.Recycled)));
        }
        finally
        {
            await host.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_at_start_naming_each_option()
    {
        using var spool = new TempSpool();
        using var host = BuildHost(new()
        {
            ["TypedSpool:Spoolers:a:Directory"] = spool.Path,
            ["TypedSpool:Spoolers:a:Processes"] = "0",
            ["TypedSpool:Spoolers:b:Frequency"] = "00:00:00",
        });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains("TypedSpool:Spoolers:a:Processes must be at least 1, not 0.", ex.Failures);
        Assert.Contains("TypedSpool:Spoolers:b:Directory is required.", ex.Failures);
        Assert.Contains("TypedSpool:Spoolers:b:Frequency must be positive, not 00:00:00.", ex.Failures);
        Assert.Contains(ex.Failures, f => f.StartsWith("TypedSpool:Default must name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_producer_only_host_writes_but_runs_nothing()
    {
        using var spool = new TempSpool();
        Recorder.Calls.Clear();
        using var host = BuildHost(new()
        {
            ["TypedSpool:RunWorkers"] = "false",
            ["TypedSpool:Spoolers:default:Directory"] = spool.Path,
        });
        await host.StartAsync(Ct);
        HostTasks.Spool.Static("queued");
        await Task.Delay(500, Ct);
        await host.StopAsync(Ct);

        Assert.Single(spool.TaskFiles());
        Assert.Empty(Recorder.Calls);
    }

    [Fact]
    public async Task Shutdown_lets_a_running_task_finish_within_the_timeout()
    {
        using var spool = new TempSpool();
        Recorder.Calls.Clear();
        using var host = BuildHost(new() { ["TypedSpool:Spoolers:default:Directory"] = spool.Path },
            services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20)));
        await host.StartAsync(Ct);
        HostTasks.Spool.Blocking("graceful");
        await WaitUntilAsync(() => Recorder.Calls.Contains("blocking-started:graceful"), "the task started");

        var stopping = host.StopAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.False(stopping.IsCompleted, "the host stopped while a task was running");
        HostTasks.Gate.Release();
        await stopping.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Contains("blocking-done:graceful", Recorder.Calls);
        Assert.Empty(spool.TaskFiles());
    }

    [Fact]
    public async Task A_task_still_running_at_the_shutdown_timeout_is_cancelled_and_stays_in_the_spool()
    {
        using var spool = new TempSpool();
        Recorder.Calls.Clear();
        using var host = BuildHost(new() { ["TypedSpool:Spoolers:default:Directory"] = spool.Path },
            services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)));
        await host.StartAsync(Ct);
        string path = HostTasks.Spool.Blocking("cut").Path;
        byte[] before = await File.ReadAllBytesAsync(path, Ct);
        await WaitUntilAsync(() => Recorder.Calls.Contains("blocking-started:cut"), "the task started");

        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.DoesNotContain("blocking-done:cut", Recorder.Calls);
        Assert.Equal(before, await File.ReadAllBytesAsync(path, Ct)); // not lost, not counted as a failed attempt
    }

    [Fact]
    public async Task MaxTasks_stops_the_application_after_that_many_runs()
    {
        using var spool = new TempSpool();
        Recorder.Calls.Clear();
        using var host = BuildHost(new()
        {
            ["TypedSpool:Spoolers:default:Directory"] = spool.Path,
            ["TypedSpool:Spoolers:default:MaxTasks"] = "2",
        });
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await host.StartAsync(Ct);
        for (int i = 0; i < 2; i++) HostTasks.Spool.Static("n" + i);

        await WaitUntilAsync(() => lifetime.ApplicationStopping.IsCancellationRequested, "the application to stop");
        await host.StopAsync(Ct);
        Assert.Equal(2, Recorder.Calls.Count);
    }
}
