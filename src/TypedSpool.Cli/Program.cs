using System.CommandLine;
using TypedSpool.Cli;
using TypedSpool.Cli.Commands;

var root = new RootCommand("typedspool: inspect and feed TypedSpool and uWSGI spool directories.")
{
    ShowCommand.Create(),
    SendCommand.Create(),
    ListenCommand.Create(),
    ListCommand.Create(),
    StatsCommand.Create(),
    RepairCommands.Requeue(),
    RepairCommands.Hold(),
    RepairCommands.Remove(),
    PurgeCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
{
    // One clear line per problem, not the whole help text; --help shows usage and examples.
    foreach (var error in parsed.Errors)
    {
        Failure.Report(ExitCodes.InvalidInput, error.Message);
    }
    Console.Error.WriteLine("typedspool: run 'typedspool --help' or 'typedspool <command> --help' for usage.");
    return ExitCodes.InvalidInput;
}
return parsed.Invoke();
