using Microsoft.Extensions.Hosting;

namespace MailSample;

/// <summary><c>--until-empty</c>: stops the host once the spool is empty, so the worker runs a batch to completion.</summary>
internal sealed class UntilEmpty(string spool, bool showProgress, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (await SpoolProgress.WaitUntilEmptyAsync(spool, showProgress, stoppingToken).ConfigureAwait(false))
        {
            lifetime.StopApplication();
        }
    }
}
