using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TypedSpool.Hosting;

namespace MailSample;

/// <summary>The three ways to run the sample: produce, work, and both on a temporary spool.</summary>
public static class MailApp
{
    private const string From = "TypedSpool sample <mailer@typedspool.example>";

    /// <summary>Enqueues <paramref name="count"/> mails through the generated stub, then (if <paramref name="wait"/>) follows the spool until it drains.</summary>
    public static async Task<int> ProduceAsync(string spool, int count, bool wait)
    {
        using var host = CreateBuilder(spool, runWorkers: false, LogLevel.Warning).Build();
        await host.StartAsync(); // sets Spooler.Default, which the generated stubs write to

        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= count; i++)
        {
            var mail = SampleMail.Create(i);
            MailTasks.Spool.SendMail(mail.To, mail.Subject, mail.Body); // returns once the task file is durable
        }
        Console.WriteLine($"Enqueued {count} mails into {spool} in {clock.ElapsedMilliseconds} ms");

        if (wait)
        {
            // Ctrl+C stops the host, which stops the waiting; the tasks stay queued.
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            if (!await SpoolProgress.WaitUntilEmptyAsync(spool, show: true, stopping))
            {
                Console.WriteLine($"Stopped waiting; {SpoolProgress.CountTaskFiles(spool)} tasks are still queued in {spool}");
            }
        }
        await host.StopAsync();
        return 0;
    }

    /// <summary>Runs the workers, which write one .eml file per run into <paramref name="outbox"/>, until Ctrl+C or, with <paramref name="untilEmpty"/>, until the spool is empty.</summary>
    public static async Task<int> WorkAsync(string spool, string outbox, bool untilEmpty, bool quiet = false)
    {
        Directory.CreateDirectory(outbox);
        var builder = CreateBuilder(spool, runWorkers: true, quiet ? LogLevel.Warning : LogLevel.Information);
        builder.Services.AddSingleton<IMailer>(new PickupDirectoryMailer(outbox, From, TimeProvider.System));
        if (untilEmpty)
        {
            builder.Services.AddHostedService(services => new UntilEmpty(spool, showProgress: quiet, services.GetRequiredService<IHostApplicationLifetime>()));
        }
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }

    /// <summary>No arguments: produce <paramref name="count"/> mails into a temporary spool, work until it is empty, summarize.</summary>
    public static async Task<int> DemoAsync(int count)
    {
        string root = Directory.CreateTempSubdirectory("typedspool-mail-").FullName;
        string spool = Path.Combine(root, "spool");
        string outbox = Path.Combine(root, "outbox");

        await ProduceAsync(spool, count, wait: false);
        var clock = Stopwatch.StartNew();
        await WorkAsync(spool, outbox, untilEmpty: true, quiet: true);
        var elapsed = clock.Elapsed;

        int sent = Directory.GetFiles(outbox, "*.eml").Length;
        Console.WriteLine($"Sent {sent} mails in {elapsed.TotalSeconds:0.00} s ({sent / elapsed.TotalSeconds:0.0} tasks/s)");
        Console.WriteLine($"Outbox: {outbox}");
        if (sent != count)
        {
            Console.Error.WriteLine($"error: {count - sent} of {count} mails were not sent; see {spool} and its dead/ directory");
            return 2;
        }
        return 0;
    }

    private static HostApplicationBuilder CreateBuilder(string spool, bool runWorkers, LogLevel logLevel)
    {
        // Defaults first: appsettings.json and the environment override them, e.g. TypedSpool__Spoolers__mail__Processes=8.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TypedSpool:Spoolers:mail:Processes"] = "4",
        });
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], Configuration = configuration });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);
        builder.Services.AddTypedSpool(builder.Configuration, o =>
        {
            if (!o.Spoolers.TryGetValue("mail", out var mail))
            {
                o.Spoolers["mail"] = mail = new SpoolDirectoryOptions();
            }
            mail.Directory = spool; // --spool wins over configuration
            o.Default = "mail";     // the spool the generated stubs write to
            o.RunWorkers = runWorkers;
        });
        return builder;
    }
}
