using System.Text.Json.Serialization;
using TypedSpool;

namespace TypedTasks;

public sealed record Attachment(string FileName, string ContentType);

[JsonSerializable(typeof(Attachment))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class MailJson : JsonSerializerContext;

[SpoolJsonContext(typeof(MailJson))]
public static partial class MailTasks
{
    public static readonly List<string> Sent = [];

    [Spool]
    public static void SendMail(string to, string subject, int retries, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        lock (Sent) Sent.Add($"{to}: {subject} ({retries}, {notBefore:O})");
    }

    [Spool(Name = "mail.attach")]
    public static async Task Attach(string to, Attachment attachment, [Body] byte[] content, SpoolContext context)
    {
        await Task.Yield();
        lock (Sent) Sent.Add($"{to}: {attachment.FileName} {content.Length} bytes, attempt {context.Attempt}");
    }

    [SpoolRaw]
    public static SpoolResult Bounce(string address, bool permanent)
    {
        lock (Sent) Sent.Add($"bounce {address} (permanent: {permanent}), priority first");
        return permanent ? SpoolResult.Ok : SpoolResult.Retry;
    }

    [SpoolForever]
    public static ValueTask Heartbeat() => ValueTask.CompletedTask;

    /// <summary>Task methods may be partial: the attribute sits on the declaration, the body elsewhere.</summary>
    [Spool]
    public static partial void Audit(string message);

    public static partial void Audit(string message)
    {
        lock (Sent) Sent.Add("audit: " + message);
    }
}
