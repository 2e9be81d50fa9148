using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MailSample;

/// <summary>
/// An RFC 5322 message with a UTF-8 <c>text/plain</c> body, as bytes with CRLF line endings. A non-ASCII (or very
/// long) Subject becomes RFC 2047 encoded-words; a body that is not short-lined ASCII is quoted-printable.
/// </summary>
public static class EmlFormat
{
    private const string Domain = "typedspool.example";

    /// <summary>The Message-ID (without brackets) of the task stored in the spool file <paramref name="spoolFileName"/>.</summary>
    /// <remarks>Spool file names (<c>uwsgi_spoolfile_on_HOST_PID_...</c>) are unique and usually valid as they are; an odd host name is hashed.</remarks>
    public static string MessageIdFor(string spoolFileName)
    {
        bool plain = spoolFileName.Length > 0 && spoolFileName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            && !spoolFileName.Contains("..", StringComparison.Ordinal) && spoolFileName[0] != '.' && spoolFileName[^1] != '.';
        string local = plain ? spoolFileName : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spoolFileName)));
        return local + "@" + Domain;
    }

    /// <summary>True for <c>local@domain</c> in printable ASCII without spaces: enough for this sample (no display names, no IDN).</summary>
    public static bool IsPlainAddress(string address)
    {
        int at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == address.LastIndexOf('@') && at < address.Length - 1
            && address.All(c => c is > ' ' and < (char)127 and not ('<' or '>' or '(' or ')' or ',' or ';' or ':' or '"' or '[' or ']' or '\\'));
    }

    public static byte[] Write(OutgoingMail mail, string from, DateTimeOffset date)
    {
        var (encoding, body) = EncodeBody(mail.Body);
        var text = new StringBuilder();
        Header(text, "Date", date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(text, "From", from);
        Header(text, "To", mail.To);
        Header(text, "Subject", EncodeSubject(mail.Subject));
        Header(text, "Message-ID", "<" + mail.MessageId + ">");
        Header(text, "MIME-Version", "1.0");
        Header(text, "Content-Type", "text/plain; charset=utf-8");
        Header(text, "Content-Transfer-Encoding", encoding);
        text.Append("\r\n").Append(body);
        return Encoding.ASCII.GetBytes(text.ToString()); // everything is ASCII by now
    }

    private static void Header(StringBuilder text, string name, string value) => text.Append(name).Append(": ").Append(value).Append("\r\n");

    /// <summary>
    /// Printable ASCII that fits on the line stays as it is; anything else becomes encoded-words
    /// (<c>=?utf-8?B?...?=</c>, RFC 2047) of at most 75 characters, one per folded line, never splitting a character.
    /// </summary>
    internal static string EncodeSubject(string subject)
    {
        bool plain = subject.All(c => c is >= ' ' and <= '~') && subject.Length <= 66 && !subject.Contains("=?", StringComparison.Ordinal);
        if (plain)
        {
            return subject;
        }
        const int maxBytesPerWord = 42; // 56 base64 characters + "=?utf-8?B?" + "?=" = 68, after "Subject: " 77
        var words = new List<string>();
        var chunk = new List<byte>(maxBytesPerWord);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in subject.EnumerateRunes())
        {
            int length = rune.EncodeToUtf8(utf8);
            if (chunk.Count + length > maxBytesPerWord)
            {
                words.Add(EncodedWord(chunk));
                chunk.Clear();
            }
            chunk.AddRange(utf8[..length]);
        }
        words.Add(EncodedWord(chunk));
        return string.Join("\r\n ", words); // folding whitespace between encoded-words is not part of the text
    }

    private static string EncodedWord(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String([.. bytes]) + "?=";

    /// <summary>CRLF line endings; <c>7bit</c> when that is enough, else quoted-printable (RFC 2045) with lines of at most 76 characters.</summary>
    internal static (string Encoding, string Body) EncodeBody(string body)
    {
        string[] lines = body.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length > 1 && lines[^1].Length == 0)
        {
            lines = lines[..^1]; // a final line break ends the last line; it does not start another
        }
        if (lines.All(line => line.Length <= 76 && line.All(c => c is >= ' ' and <= '~' or '\t')))
        {
            return ("7bit", string.Join("\r\n", lines) + "\r\n");
        }
        var output = new StringBuilder();
        foreach (string line in lines)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(line);
            int column = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                bool last = i == bytes.Length - 1;
                // Literal: printable ASCII except '='; space and tab too, unless they end the line.
                bool literal = (b is >= 33 and <= 126 && b != '=') || (b is (byte)' ' or (byte)'\t' && !last);
                string token = literal ? ((char)b).ToString() : "=" + b.ToString("X2", CultureInfo.InvariantCulture);
                if (column + token.Length > (last ? 76 : 75)) // leave room for the soft break "="
                {
                    output.Append("=\r\n");
                    column = 0;
                }
                output.Append(token);
                column += token.Length;
            }
            output.Append("\r\n");
        }
        return ("quoted-printable", output.ToString());
    }
}
