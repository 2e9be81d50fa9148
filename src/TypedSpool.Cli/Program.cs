using System.CommandLine;
using TypedSpool.Cli.Commands;

var root = new RootCommand("typedspool: inspect and feed TypedSpool and uWSGI spool directories.")
{
    ShowCommand.Create(),
    SendCommand.Create(),
};
return root.Parse(args).Invoke();
