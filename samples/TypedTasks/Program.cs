using TypedSpool;
using TypedTasks;

// TypedTasks: [Spool] methods enqueued through the generated stubs and run through the generated dispatch table.
//   dotnet run --project samples/TypedTasks [-- --spool DIR]
// Publishes with NativeAOT: dotnet publish samples/TypedTasks -c Release -r linux-x64
int index = Array.IndexOf(args, "--spool");
string directory = index >= 0 && index + 1 < args.Length ? args[index + 1] : Path.Combine(Path.GetTempPath(), "typedtasks-" + Environment.ProcessId);

Spooler.Default = new Spooler(directory); // the one line a console program needs

MailTasks.Spool.SendMail("ada@example.com", "Hello", retries: 3, notBefore: null);
MailTasks.Spool.Attach("bob@example.com", new Attachment("report.pdf", "application/pdf"), new byte[100_000]);
MailTasks.Spool.Bounce("carol@example.com", permanent: true, new SpoolOptions { Priority = 1 });
MailTasks.Spool.Audit("three mails queued");
Console.WriteLine($"Spooled 4 typed tasks into {directory}:");
foreach (var file in Directory.GetFiles(directory, "uwsgi_spoolfile_on_*", SearchOption.AllDirectories))
{
    Console.WriteLine($"  {Path.GetRelativePath(directory, file)}");
}

await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = directory, Ordered = true }, new SpoolDispatcher());
var summary = await worker.RunOnceAsync();
Console.WriteLine($"Ran {summary.Succeeded} of them through the generated dispatch table:");
foreach (var line in MailTasks.Sent)
{
    Console.WriteLine($"  {line}");
}
return summary.Succeeded == 4 ? 0 : 1;
