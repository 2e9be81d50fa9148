using System.CommandLine;
using MailSample;
using Microsoft.Extensions.Options;

// The TypedSpool mail sample: a [Spool] task that "sends" mail as .eml files, on the Generic Host.
//   dotnet run --project samples/TypedSpool.Samples.Mail        produce 50 mails into a temporary spool, send them, summarize
//   ... -- produce --spool DIR [--count N] [--no-wait]            enqueue N mails, then follow the spool until it drains
//   ... -- work --spool DIR --outbox DIR [--until-empty]          run the workers until Ctrl+C (or until the spool is empty)
// TypedSpool options come from appsettings.json or the environment, e.g. TypedSpool__Spoolers__mail__Processes=8.
// Exit codes: 0 done, 1 invalid arguments or configuration, 2 failure at run time.
var produce = new Command("produce", "Enqueue a batch of mails, then show progress until the spool drains.");
var produceSpool = SpoolOption();
var count = new Option<int>("--count")
{
    Description = "Mails to enqueue (default 50).",
    DefaultValueFactory = _ => 50,
    CustomParser = result =>
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
        result.AddError($"--count must be a whole number of at least 1, not '{text}'.");
        return 0;
    },
};
var noWait = new Option<bool>("--no-wait") { Description = "Exit once the mails are enqueued." };
produce.Options.Add(produceSpool);
produce.Options.Add(count);
produce.Options.Add(noWait);
produce.SetAction(result => Run(() => MailApp.ProduceAsync(Path.GetFullPath(result.GetValue(produceSpool)!), result.GetValue(count), wait: !result.GetValue(noWait))));

var work = new Command("work", "Run the workers: each task writes one .eml file into the outbox.");
var workSpool = SpoolOption();
var outbox = new Option<string>("--outbox") { Description = "Directory for the .eml files (created if missing).", Required = true };
var untilEmpty = new Option<bool>("--until-empty") { Description = "Exit once the spool has no task left." };
work.Options.Add(workSpool);
work.Options.Add(outbox);
work.Options.Add(untilEmpty);
work.SetAction(result => Run(() => MailApp.WorkAsync(Path.GetFullPath(result.GetValue(workSpool)!), Path.GetFullPath(result.GetValue(outbox)!), result.GetValue(untilEmpty))));

var root = new RootCommand("TypedSpool mail sample. Without a command: produce 50 mails into a temporary spool, send them, and summarize.")
{
    produce,
    work,
};
root.SetAction(_ => Run(() => MailApp.DemoAsync(count: 50)));

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
{
    Console.Error.WriteLine($"error: {string.Join(" ", parsed.Errors.Select(e => e.Message))} (see --help)");
    return 1;
}
// The host handles Ctrl+C and SIGTERM (graceful shutdown), so System.CommandLine does not.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static Option<string> SpoolOption() => new("--spool") { Description = "Spool directory (created if missing).", Required = true };

static async Task<int> Run(Func<Task<int>> action)
{
    try
    {
        return await action();
    }
    catch (OptionsValidationException ex) // e.g. TypedSpool__Spoolers__mail__Processes=0 in the environment
    {
        Console.Error.WriteLine($"error: {string.Join(" ", ex.Failures)}");
        return 1;
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        return 2;
    }
}
