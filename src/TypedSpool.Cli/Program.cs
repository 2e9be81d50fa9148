using System.CommandLine;
using TypedSpool.Cli;
using TypedSpool.Cli.Commands;

var root = new RootCommand(
    "typedspool: see, repair and feed TypedSpool and uWSGI spool directories. Every command names its spool with --spool DIR;\n"
    + "task files are named by path, or by file name with --spool. Run 'typedspool <command> --help' for examples.\n\n"
    + "Exit codes: 0 done, 1 invalid arguments or input, 2 a file or directory cannot be read or written (or is gone),\n"
    + "3 not a valid spool file, 4 a worker is running the task, so it was left alone.")
{
    ShowCommand.Create(),
    SendCommand.Create(),
    ListenCommand.Create(),
    ListCommand.Create(),
    StatsCommand.Create(),
    RepairCommands.Requeue(),
    RepairCommands.Hold(),
    RepairCommands.Release(),
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
