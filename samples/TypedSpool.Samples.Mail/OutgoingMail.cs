namespace MailSample;

/// <summary>One mail to send. <see cref="MessageId"/> is without angle brackets.</summary>
public sealed record OutgoingMail(string MessageId, string To, string Subject, string Body);
