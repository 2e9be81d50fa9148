using TypedSpool;
using TypedTasks;

string dir = Path.Combine(Path.GetTempPath(), "typedtasks-" + Environment.ProcessId);
Spooler.Default = new Spooler(dir);
var task = MailTasks.Spool.SendMail("ada@example.com", "Hello", 3, null);
MailTasks.Spool.Attach("bob@example.com", new Attachment("a.pdf", "application/pdf"), new byte[100_000]);
MailTasks.Spool.Bounce("x@example.com", true, new SpoolOptions { Priority = 1 });
Console.WriteLine(task.Path);
await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = dir, Ordered = true }, new SpoolDispatcher());
var summary = await worker.RunOnceAsync();
Console.WriteLine(summary);
foreach (var line in MailTasks.Sent) Console.WriteLine(line);
