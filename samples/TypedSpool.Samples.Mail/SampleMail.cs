namespace MailSample;

/// <summary>The mails the producer enqueues: mail <c>i</c> goes to <c>reader{i}@example.com</c>, in UTF-8.</summary>
public static class SampleMail
{
    public static (string To, string Subject, string Body) Create(int i) => (
        $"reader{i}@example.com",
        $"Your order #{i} has shipped — Grüße aus dem Spool ✉",
        $"Hello reader {i},\n\nyour order #{i} left our warehouse today. Größe: M, Farbe: Crème brûlée.\n"
        + "This mail was written by a TypedSpool worker: the producer put a task file into the spool, a worker locked it, ran MailTasks.SendMail and deleted it.\n");
}
