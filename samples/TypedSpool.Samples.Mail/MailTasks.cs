using TypedSpool;

namespace MailSample;

/// <summary>
/// The spool tasks of this application. The generator writes the enqueue stub <c>MailTasks.Spool.SendMail(to, subject, body)</c>
/// and the dispatch entry the worker runs it through.
/// </summary>
public static partial class MailTasks
{
    /// <summary>Sends one mail through the registered <see cref="IMailer"/>.</summary>
    /// <remarks>
    /// Only <paramref name="to"/>, <paramref name="subject"/> and <paramref name="body"/> travel in the spool file; the
    /// body is the file's body, so it has no 64 KB limit. The context, the mailer and the token are injected by the worker.
    /// The Message-ID comes from the spool file's name: it is the same at every run of this task (a retry, or a run
    /// repeated after a crash between sending and deleting the file), so a receiver can drop duplicates.
    /// </remarks>
    [Spool(Name = "mail.send")] // a pinned wire name: renaming the method does not orphan queued files
    public static Task SendMail(string to, string subject, [Body] string body,
        SpoolContext context, [FromServices] IMailer mailer, CancellationToken cancellationToken)
    {
        if (!EmlFormat.IsPlainAddress(to))
        {
            // Retrying cannot fix a bad address: this exception sends the task to dead/ at once.
            throw new SpoolPayloadException(context.TaskName ?? "mail.send", nameof(to), $"is not a plain ASCII address: '{to}'");
        }
        string messageId = EmlFormat.MessageIdFor(Path.GetFileName(context.FilePath));
        return mailer.SendAsync(new OutgoingMail(messageId, to, subject, body), cancellationToken);
    }
}
