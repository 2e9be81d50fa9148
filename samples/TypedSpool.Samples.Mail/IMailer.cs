namespace MailSample;

/// <summary>Sends mail. This sample drops <c>.eml</c> files into a pickup directory; a real application would speak SMTP.</summary>
public interface IMailer
{
    /// <summary>Returns once the mail is handed over; throws to have the task retried.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
