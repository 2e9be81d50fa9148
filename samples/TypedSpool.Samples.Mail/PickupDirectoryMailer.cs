namespace MailSample;

/// <summary>
/// Writes each mail as one RFC 5322 <c>.eml</c> file into a directory (a "pickup directory", as mail servers and
/// <c>SmtpClient</c> know it). Every call makes a new file, so a task that runs twice leaves two files with the same
/// Message-ID. Files appear whole: written to a hidden temporary name, flushed to disk, then renamed.
/// </summary>
public sealed class PickupDirectoryMailer(string directory, string from, TimeProvider time) : IMailer
{
    private static long s_counter;

    /// <summary>The outbox directory.</summary>
    public string Directory => directory;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        byte[] content = EmlFormat.Write(mail, from, now);

        // Unique per call, also across processes sharing the outbox; sorts by time.
        string name = $"{now:yyyyMMdd'T'HHmmss'.'fffffff'Z'}-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter):D6}.eml";
        string final = Path.Combine(directory, name);
        string temporary = Path.Combine(directory, "." + name + ".tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, final, overwrite: false);
        }
        catch
        {
            File.Delete(temporary); // the task's file stays in the spool and the task runs again
            throw;
        }
    }
}
