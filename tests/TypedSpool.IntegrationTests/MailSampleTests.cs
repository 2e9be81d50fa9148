using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// samples/TypedSpool.Samples.Mail as real processes: the demo, a producer and two concurrent workers on one spool, a
/// task run twice, and bad arguments. The .eml files are parsed here independently of the sample's own encoder.
/// </summary>
public sealed partial class MailSampleTests
{
    private const string Sample = "TypedSpool.Samples.Mail";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Without_arguments_it_sends_50_mails_into_an_outbox_of_parseable_eml_files_with_distinct_Message_IDs()
    {
        var (exitCode, stdout, stderr) = await ChildProcess.RunDotnetAsync(Sample, [], s_timeout);
        string output = $"--- stdout:\n{stdout}\n--- stderr:\n{stderr}";
        var outboxLine = Regex.Match(stdout, "^Outbox: (.+)$", RegexOptions.Multiline);
        Assert.True(outboxLine.Success, "no 'Outbox:' line\n" + output);
        string outbox = outboxLine.Groups[1].Value.TrimEnd('\r');
        try
        {
            Assert.True(exitCode == 0, $"exit code {exitCode}\n{output}");
            Assert.Contains("Sent 50 mails in ", stdout, StringComparison.Ordinal);
            Assert.Contains(" tasks/s)", stdout, StringComparison.Ordinal);

            var mails = ReadOutbox(outbox);
            Assert.True(mails.Count == 50, $"{mails.Count} .eml files\n{output}");
            Assert.Equal(50, mails.Select(m => m.Headers["Message-ID"]).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(Enumerable.Range(1, 50), mails.Select(m => m.Number).Order());
            foreach (var mail in mails)
            {
                AssertIsTheSampleMail(mail);
            }
        }
        finally
        {
            // The demo keeps its temporary directory for the user to look at; the test removes it.
            string root = Path.GetDirectoryName(outbox)!;
            if (Path.GetFileName(root).StartsWith("typedspool-mail-", StringComparison.Ordinal))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Two_workers_on_one_spool_send_every_enqueued_mail_exactly_once()
    {
        using var temp = new TempSpool("mail");
        string spool = temp.Combine("spool");
        string outbox = temp.Combine("outbox");

        var produced = await ChildProcess.RunDotnetAsync(Sample, ["produce", "--spool", spool, "--count", "20", "--no-wait"], s_timeout);
        Assert.True(produced.ExitCode == 0, $"produce: exit code {produced.ExitCode}\n{produced.Stderr}\n{produced.Stdout}");
        var taskFiles = Directory.GetFiles(spool, SpoolFileName.Prefix + "*").Select(Path.GetFileName).ToList();
        Assert.True(taskFiles.Count == 20, $"{taskFiles.Count} task files after produce --no-wait\n{produced.Stdout}");

        using var first = ChildProcess.StartDotnet(Sample, ["work", "--spool", spool, "--outbox", outbox, "--until-empty"]);
        using var second = ChildProcess.StartDotnet(Sample, ["work", "--spool", spool, "--outbox", outbox, "--until-empty"]);
        int firstExit = await first.WaitForExitAsync(s_timeout);
        int secondExit = await second.WaitForExitAsync(s_timeout);
        string output = $"--- worker 1 stderr:\n{first.StandardError}\n--- worker 2 stderr:\n{second.StandardError}\n--- worker 1 stdout:\n{first.StandardOutput}\n--- worker 2 stdout:\n{second.StandardOutput}";
        Assert.True(firstExit == 0 && secondExit == 0, $"exit codes {firstExit}, {secondExit}\n{output}");

        Assert.Empty(temp.TaskFiles("spool"));
        var mails = ReadOutbox(outbox);
        // Each task's Message-ID is derived from its spool file name: every one appears exactly once.
        var expected = taskFiles.Select(name => $"<{name}@typedspool.example>").Order(StringComparer.Ordinal);
        Assert.True(expected.SequenceEqual(mails.Select(m => m.Headers["Message-ID"]).Order(StringComparer.Ordinal)),
            $"Message-IDs:\n{string.Join('\n', mails.Select(m => m.Headers["Message-ID"]).Order(StringComparer.Ordinal))}\n{output}");
        Assert.Equal(Enumerable.Range(1, 20), mails.Select(m => m.Number).Order());
        foreach (var mail in mails)
        {
            AssertIsTheSampleMail(mail);
        }
    }

    [Fact]
    public async Task A_task_run_twice_leaves_two_eml_files_with_the_same_Message_ID()
    {
        using var temp = new TempSpool("mail");
        string spool = temp.Combine("spool");
        string outbox = temp.Combine("outbox");
        var produced = await ChildProcess.RunDotnetAsync(Sample, ["produce", "--spool", spool, "--count", "1", "--no-wait"], s_timeout);
        Assert.True(produced.ExitCode == 0, $"produce: exit code {produced.ExitCode}\n{produced.Stderr}");
        string taskFile = Assert.Single(temp.TaskFiles("spool"));
        byte[] task = File.ReadAllBytes(taskFile);

        // As if the worker had crashed after sending and before deleting the file: the spool is at-least-once.
        for (int run = 1; run <= 2; run++)
        {
            if (run == 2) File.WriteAllBytes(taskFile, task);
            var worked = await ChildProcess.RunDotnetAsync(Sample, ["work", "--spool", spool, "--outbox", outbox, "--until-empty"], s_timeout);
            Assert.True(worked.ExitCode == 0, $"work run {run}: exit code {worked.ExitCode}\n{worked.Stderr}\n{worked.Stdout}");
        }

        var mails = ReadOutbox(outbox);
        Assert.Equal(2, mails.Count);
        Assert.NotEqual(mails[0].FileName, mails[1].FileName);
        Assert.Equal(mails[0].Headers["Message-ID"], mails[1].Headers["Message-ID"]);
        Assert.Equal($"<{Path.GetFileName(taskFile)}@typedspool.example>", mails[0].Headers["Message-ID"]);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("produce")]
    [InlineData("produce", "--spool", "{spool}", "--count", "0")]
    [InlineData("produce", "--spool", "{spool}", "--count", "many")]
    [InlineData("work", "--spool", "{spool}")]
    [InlineData("work", "--spool", "{spool}", "--outbox", "{spool}/out", "--until-empty", "--verbose")]
    public async Task Bad_arguments_exit_1_with_one_line_on_stderr_and_touch_nothing(params string[] arguments)
    {
        using var temp = new TempSpool("mail");
        string spool = temp.Combine("spool");
        var (exitCode, stdout, stderr) = await ChildProcess.RunDotnetAsync(Sample, arguments.Select(a => a.Replace("{spool}", spool, StringComparison.Ordinal)), s_timeout);

        string output = $"--- stdout:\n{stdout}\n--- stderr:\n{stderr}";
        Assert.True(exitCode == 1, $"exit code {exitCode}\n{output}");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"{lines.Length} lines on stderr\n{output}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(spool), "a rejected command created the spool\n" + output);
    }

    /// <summary>Mail <c>i</c> of the sample's producer, as the producer's documentation describes it.</summary>
    private static void AssertIsTheSampleMail(Eml mail)
    {
        int i = mail.Number;
        string context = $"{mail.FileName}:\n{mail.Raw}";
        Assert.True($"Your order #{i} has shipped — Grüße aus dem Spool ✉" == mail.Subject, $"subject '{mail.Subject}' in {context}");
        Assert.True(
            $"Hello reader {i},\r\n\r\nyour order #{i} left our warehouse today. Größe: M, Farbe: Crème brûlée.\r\n"
            + "This mail was written by a TypedSpool worker: the producer put a task file into the spool, a worker locked it, ran MailTasks.SendMail and deleted it.\r\n"
            == mail.Body, $"body '{mail.Body}' in {context}");
        Assert.Equal("TypedSpool sample <mailer@typedspool.example>", mail.Headers["From"]);
        Assert.Equal("1.0", mail.Headers["MIME-Version"]);
        Assert.Equal("text/plain; charset=utf-8", mail.Headers["Content-Type"]);
        Assert.True(DateTimeOffset.TryParseExact(mail.Headers["Date"].Replace("+0000", "+00:00", StringComparison.Ordinal),
            "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"Date in {context}");
        Assert.Matches("^<[^<>@\\s]+@[^<>@\\s]+>$", mail.Headers["Message-ID"]);
    }

    private static List<Eml> ReadOutbox(string outbox)
    {
        Assert.True(Directory.Exists(outbox), $"no outbox at {outbox}");
        Assert.Empty(Directory.GetFiles(outbox, "*.tmp")); // every file was renamed into place
        return [.. Directory.GetFiles(outbox, "*.eml").Order(StringComparer.Ordinal).Select(Eml.Read)];
    }

    /// <summary>An RFC 5322 message of the sample: CRLF only, ASCII headers, a blank line, a 7bit or quoted-printable UTF-8 body.</summary>
    private sealed record Eml(string FileName, string Raw, Dictionary<string, string> Headers, string Subject, string Body)
    {
        /// <summary>The mail's sequence number, from its address <c>reader{i}@example.com</c>.</summary>
        public int Number => int.Parse(To().Match(Headers["To"]).Groups[1].Value, CultureInfo.InvariantCulture);

        public static Eml Read(string path)
        {
            byte[] bytes = File.ReadAllBytes(path);
            string raw = Encoding.ASCII.GetString(bytes);
            string name = Path.GetFileName(path);
            Assert.True(bytes.All(b => b < 128), $"{name}: not 7-bit ASCII\n{raw}");
            Assert.True(Regex.Replace(raw, "\r\n", "").IndexOfAny(['\r', '\n']) < 0, $"{name}: bare CR or LF\n{raw}");
            Assert.EndsWith("\r\n", raw, StringComparison.Ordinal);
            int blank = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(blank > 0, $"{name}: no blank line after the headers\n{raw}");
            // RFC 5322: at most 998 characters a line; the sample keeps the Subject and the body within the recommended 78.
            Assert.All(raw.Split("\r\n"), line => Assert.True(line.Length <= 998, $"{name}: line over 998 characters: {line}"));
            Assert.All(Regex.Match(raw, "^Subject:[^\r\n]*(\r\n[ \t][^\r\n]*)*", RegexOptions.Multiline).Value.Split("\r\n"),
                line => Assert.True(line.Length <= 78, $"{name}: Subject line over 78 characters: {line}"));
            Assert.All(raw[(blank + 4)..].Split("\r\n"), line => Assert.True(line.Length <= 76, $"{name}: body line over 76 characters: {line}"));

            // Unfold (a line starting with white space continues the previous one), then split name: value.
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string field in Regex.Split(raw[..blank], "\r\n(?![ \t])"))
            {
                int colon = field.IndexOf(':', StringComparison.Ordinal);
                Assert.True(colon > 0, $"{name}: bad header field '{field}'");
                Assert.True(headers.TryAdd(field[..colon], field[(colon + 1)..].Replace("\r\n", "", StringComparison.Ordinal).Trim()), $"{name}: repeated {field[..colon]}");
            }
            foreach (string required in (string[])["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"])
            {
                Assert.True(headers.ContainsKey(required), $"{name}: no {required} header\n{raw}");
            }

            string body = raw[(blank + 4)..];
            body = headers["Content-Transfer-Encoding"].ToLowerInvariant() switch
            {
                "7bit" => body,
                "quoted-printable" => DecodeQuotedPrintable(body),
                var other => throw new Xunit.Sdk.XunitException($"{name}: unexpected Content-Transfer-Encoding {other}"),
            };
            return new Eml(name, raw, headers, DecodeEncodedWords(headers["Subject"]), body);
        }

        /// <summary>RFC 2047: <c>=?charset?B|Q?text?=</c> words; white space between two encoded-words is dropped.</summary>
        private static string DecodeEncodedWords(string value)
        {
            string joined = Regex.Replace(value, @"\?=\s+=\?", "?==?");
            return EncodedWord().Replace(joined, m =>
            {
                Assert.Equal("utf-8", m.Groups[1].Value.ToLowerInvariant());
                byte[] bytes = m.Groups[2].Value.ToUpperInvariant() == "B"
                    ? Convert.FromBase64String(m.Groups[3].Value)
                    : DecodeQ(m.Groups[3].Value);
                return Encoding.UTF8.GetString(bytes);
            });
        }

        private static byte[] DecodeQ(string text) => Encoding.Latin1.GetBytes(
            Regex.Replace(text.Replace('_', ' '), "=([0-9A-Fa-f]{2})", m => ((char)Convert.ToByte(m.Groups[1].Value, 16)).ToString()));

        /// <summary>RFC 2045 quoted-printable: "=\r\n" is a soft line break, "=XX" a byte.</summary>
        private static string DecodeQuotedPrintable(string text)
        {
            var bytes = new List<byte>();
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '=' && text.AsSpan(i + 1).StartsWith("\r\n"))
                {
                    i += 2;
                }
                else if (text[i] == '=')
                {
                    bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    bytes.Add((byte)text[i]);
                }
            }
            return Encoding.UTF8.GetString([.. bytes]);
        }
    }

    [GeneratedRegex(@"^reader(\d+)@example\.com$")]
    private static partial Regex To();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();
}
