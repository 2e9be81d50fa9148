using System.CommandLine;
using System.Net.Sockets;
using TypedSpool.Network;

namespace TypedSpool.Cli.Commands;

/// <summary><c>typedspool listen --spool DIR --address tcp://127.0.0.1:PORT</c>: accept tasks over the network into a spool.</summary>
internal static class ListenCommand
{
    public static Command Create()
    {
        var spool = new Option<string>("--spool") { Description = "Spool directory that receives the tasks (created if missing).", Required = true };
        var address = new Option<string>("--address") { Description = "tcp://HOST:PORT or unix:PATH to listen on (loopback unless --allow-remote).", Required = true };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Listen on a non-loopback address." };
        var command = new Command("listen", "Accept uwsgi spool packets (modifier1 17) and write them durably into a spool, as uWSGI's spooler plugin does. Stops on Ctrl+C.\n\nExample:\n  typedspool listen --spool /var/spool/app --address tcp://127.0.0.1:10001")
        {
            spool, address, allowRemote,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var listener = new SpoolListener(new SpoolListenerOptions { Address = result.GetValue(address)!, AllowRemote = result.GetValue(allowRemote) },
                    new Spooler(result.GetValue(spool)!));
                var run = listener.RunAsync(cancellationToken);
                var bound = await listener.Bound.ConfigureAwait(false);
                Console.Out.WriteLine($"listening on {bound}");
                await run.ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (ArgumentException ex)
            {
                return Failure.Report(ExitCodes.InvalidInput, ex.Message);
            }
            catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
            {
                return Failure.Report(ExitCodes.IoError, $"cannot listen on {result.GetValue(address)}: {ex.Message}");
            }
        });
        return command;
    }
}
