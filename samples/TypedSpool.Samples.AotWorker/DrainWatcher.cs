using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AotWorker;

/// <summary>
/// <c>--until-empty</c>: stops the application once no task file is left in the spool, so a batch job or a test can
/// run the worker to completion. Delayed and retried tasks still count (their files stay until they succeed); files
/// moved to <c>dead/</c> or <c>quarantine/</c> do not. A task file is deleted only after its task has finished, so an
/// empty spool means every task has run.
/// </summary>
internal sealed partial class DrainWatcher(string spool, IHostApplicationLifetime lifetime, ILogger<DrainWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_interval);
        do
        {
            int pending = CountTaskFiles(spool);
            if (pending == 0)
            {
                Drained(logger, spool);
                lifetime.StopApplication();
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Task files where a worker looks for them: the spool itself and its all-digit priority directories.</summary>
    private static int CountTaskFiles(string spool)
    {
        int count = CountIn(spool);
        foreach (var directory in Directory.Exists(spool) ? Directory.EnumerateDirectories(spool) : [])
        {
            string name = Path.GetFileName(directory);
            if (name.Length > 0 && name.All(char.IsAsciiDigit))
            {
                count += CountIn(directory);
            }
        }
        return count;
    }

    private static int CountIn(string directory)
    {
        try
        {
            return Directory.EnumerateFiles(directory, "uwsgi_spoolfile_on_*").Count();
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Spool {Spool} is empty: stopping (--until-empty)")]
    private static partial void Drained(ILogger logger, string spool);
}
