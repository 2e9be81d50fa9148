using System.CommandLine;
using System.Globalization;
using TypedSpool.Format;
using TypedSpool.Network;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary><c>typedspool send --spool DIR [--priority P] [--at T] [--body-file F] key=value...</c>: enqueue one raw task.</summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var spool = new Option<string>("--spool", "--spooler") { Description = "Spool directory to write to (created if missing), or a listener: tcp://HOST:PORT, unix:PATH.", Required = true };
        var priority = new Option<string?>("--priority") { Description = "Priority subdirectory: 1 to 9 digits (0, 1, 10...); ordered workers run lower numbers first." };
        var at = new Option<string?>("--at") { Description = "Do not run before this time: unix seconds or an ISO 8601 date." };
        var bodyFile = new Option<FileInfo?>("--body-file") { Description = "File whose bytes become the task body." };
        var durability = new Option<SpoolDurability>("--durability") { Description = "full (fsync file and directory, default) or none.", DefaultValueFactory = _ => SpoolDurability.Full };
        var pairs = new Argument<string[]>("pairs") { Description = "key=value pairs (UTF-8).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("send", "Enqueue one raw task and print its file path.\n\nExamples:\n  typedspool send --spool /tmp/spool ud_spool_func=send_mail to=a@example.com\n  typedspool send --spool /tmp/spool --priority 3 --at 2030-01-01T00:00:00Z --body-file report.pdf task=print")
        {
            spool, priority, at, bodyFile, durability, pairs,
        };
        command.SetAction(result => Run(
            result.GetValue(spool)!, result.GetValue(priority), result.GetValue(at), result.GetValue(bodyFile),
            result.GetValue(durability), result.GetValue(pairs) ?? []));
        return command;
    }

    private static int Run(string directory, string? priorityText, string? atText, FileInfo? bodyFile, SpoolDurability durability, string[] pairTexts)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var text in pairTexts)
        {
            int eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return Failure.Report(ExitCodes.InvalidInput, $"'{text}' is not a key=value pair.");
            }
            if (eq == 0)
            {
                return Failure.Report(ExitCodes.InvalidInput, $"'{text}' has an empty key; keys must be at least one byte.");
            }
            pairs.Add(new(text[..eq], text[(eq + 1)..]));
        }

        int? priority = null;
        if (priorityText is not null)
        {
            if (!SpoolSchedule.IsPriority(priorityText))
            {
                return Failure.Report(ExitCodes.InvalidInput, $"--priority '{priorityText}' must be 1 to 9 ASCII digits, such as 0, 3 or 10.");
            }
            priority = int.Parse(priorityText, CultureInfo.InvariantCulture);
        }

        DateTimeOffset? at = null;
        if (atText is not null)
        {
            if (!TryParseTime(atText, out var parsed))
            {
                return Failure.Report(ExitCodes.InvalidInput, $"--at '{atText}' is neither unix seconds nor an ISO 8601 date.");
            }
            at = parsed;
        }

        ReadOnlyMemory<byte> body = default;
        if (bodyFile is not null)
        {
            try
            {
                body = File.ReadAllBytes(bodyFile.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Failure.Report(ExitCodes.IoError, $"cannot read body file '{bodyFile.FullName}': {ex.Message}");
            }
        }

        try
        {
            var packet = SpoolPacket.FromText(pairs, body);
            if (SpoolEndpoint.IsNetworkAddress(directory))
            {
                // The remote resolves priority and at; the keys carry them.
                if (priority is { } p) packet = packet.With(SpoolKeys.Priority, SpoolSchedule.FormatPriority(p));
                if (at is { } when) packet = packet.With(SpoolKeys.At, SpoolSchedule.FormatAt(when));
                SpoolNetworkClient.SendAsync(SpoolEndpoint.Parse(directory), packet).GetAwaiter().GetResult();
                Console.Out.WriteLine($"sent to {directory}");
                return ExitCodes.Ok;
            }
            var spooler = new Spooler(directory, new SpoolerSettings { Durability = durability });
            var task = spooler.Enqueue(packet, new SpoolOptions { Priority = priority, At = at });
            Console.Out.WriteLine(task.Path);
            return ExitCodes.Ok;
        }
        catch (ArgumentException ex)
        {
            return Failure.Report(ExitCodes.InvalidInput, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failure.Report(ExitCodes.IoError, ex.Message);
        }
    }

    internal static bool TryParseTime(string text, out DateTimeOffset time)
    {
        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            // Unix seconds, with an optional fraction that is dropped as uWSGI drops it from the at key.
            try
            {
                if (SpoolSchedule.ParseAt(text) is { } at)
                {
                    time = at;
                    return true;
                }
            }
            catch (ArgumentException)
            {
                // Not unix seconds: perhaps an ISO date such as 2030-01-01.
            }
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}
