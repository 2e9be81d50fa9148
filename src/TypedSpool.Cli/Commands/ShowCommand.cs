using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TypedSpool.Format;

namespace TypedSpool.Cli.Commands;

/// <summary><c>typedspool show [--spool DIR] TASK [--json | --body]</c>: one spool file decoded.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("task") { Description = "The spool file to decode: a path, or a file name found in --spool." };
        var spool = RepairCommands.SpoolOption();
        var json = new Option<bool>("--json") { Description = "Print JSON: header, pairs (UTF-8 text, else base64), body length and sha256, mtime, and why it is dead or quarantined." };
        var body = new Option<bool>("--body") { Description = "Write the raw body to stdout, nothing else." };
        var command = new Command("show",
            "Decode one spool file (TypedSpool's or uWSGI's): its pairs, body summary, due time, and why it is dead or quarantined.\n\n"
            + "Examples:\n  typedspool show /var/spool/app/uwsgi_spoolfile_on_host_1_1_42_1767225600_5 --json\n"
            + "  typedspool show --spool /var/spool/app uwsgi_spoolfile_on_host_1_1_42_1767225600_5\n"
            + "  typedspool show --spool /var/spool/app uwsgi_spoolfile_on_host_1_1_42_1767225600_5 --body > body.bin")
        {
            path,
            spool,
            json,
            body,
        };
        command.SetAction(result => RepairCommands.Guard(() =>
            Run(new FileInfo(TaskLocator.Resolve(result.GetValue(path)!, result.GetValue(spool))), result.GetValue(json), result.GetValue(body))));
        return command;
    }

    private static int Run(FileInfo file, bool asJson, bool bodyOnly)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failure.Report(ExitCodes.IoError, $"cannot read '{file.FullName}': {ex.Message}");
        }

        SpoolPacket packet;
        try
        {
            packet = SpoolPacketCodec.Decode(bytes);
        }
        catch (SpoolFormatException ex)
        {
            return Failure.Report(ExitCodes.InvalidSpoolFile, $"'{file.FullName}' is not a valid spool file: {ex.Message}");
        }

        if (bodyOnly)
        {
            using var raw = Console.OpenStandardOutput();
            raw.Write(packet.Body.Span);
            return ExitCodes.Ok;
        }
        // A dead-lettered or quarantined file has a note beside it saying why.
        string? reason = File.Exists(file.FullName + ".reason.json") ? File.ReadAllText(file.FullName + ".reason.json") : null;
        var mtime = File.GetLastWriteTimeUtc(file.FullName);
        string mode = "0o" + Convert.ToString((int)File.GetUnixFileMode(file.FullName), 8);
        using var stdout = Console.OpenStandardOutput();
        if (asJson)
        {
            WriteJson(stdout, file.FullName, bytes, packet, mtime, mode, reason);
        }
        else
        {
            WriteText(file.FullName, bytes, packet, mtime, mode, reason);
        }
        return ExitCodes.Ok;
    }

    private static void WriteJson(Stream output, string path, byte[] bytes, SpoolPacket packet, DateTime mtime, string mode, string? reason)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("path", path);
        json.WriteNumber("file_size", bytes.Length);
        json.WriteString("file_mode", mode);
        json.WriteNumber("mtime", new DateTimeOffset(mtime).ToUnixTimeSeconds());
        json.WriteString("mtime_iso", new DateTimeOffset(mtime).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartObject("header");
        json.WriteNumber("modifier1", packet.Modifier1);
        json.WriteNumber("pktsize", bytes.Length - SpoolPacketCodec.HeaderSize - packet.Body.Length);
        json.WriteNumber("modifier2", packet.Modifier2);
        json.WriteString("hex", Convert.ToHexStringLower(bytes.AsSpan(0, SpoolPacketCodec.HeaderSize)));
        json.WriteEndObject();
        json.WriteStartArray("vars");
        foreach (var pair in packet.Pairs)
        {
            json.WriteStartObject();
            WriteBytes(json, "key", pair.Key.Span);
            WriteBytes(json, "value", pair.Value.Span);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (packet.Body.IsEmpty)
        {
            json.WriteNull("body");
        }
        else
        {
            json.WriteStartObject("body");
            json.WriteNumber("len", packet.Body.Length);
            json.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(packet.Body.Span)));
            json.WriteEndObject();
        }
        if (reason is not null)
        {
            json.WritePropertyName("reason");
            try
            {
                using var note = JsonDocument.Parse(reason);
                note.RootElement.WriteTo(json);
            }
            catch (JsonException)
            {
                json.WriteStringValue(reason);
            }
        }
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteBytes(Utf8JsonWriter json, string name, ReadOnlySpan<byte> bytes)
    {
        json.WriteStartObject(name);
        json.WriteNumber("len", bytes.Length);
        if (SpoolPair.TryDecodeUtf8(bytes) is { } text)
        {
            json.WriteString("text", text);
        }
        else
        {
            json.WriteString("b64", Convert.ToBase64String(bytes));
        }
        json.WriteEndObject();
    }

    private static void WriteText(string path, byte[] bytes, SpoolPacket packet, DateTime mtime, string mode, string? reason)
    {
        var text = new StringBuilder();
        text.AppendLine($"file:    {path}");
        text.AppendLine($"size:    {bytes.Length} bytes, mode {mode}, mtime {new DateTimeOffset(mtime):O}");
        text.AppendLine($"header:  modifier1={packet.Modifier1} pktsize={bytes.Length - SpoolPacketCodec.HeaderSize - packet.Body.Length} modifier2={packet.Modifier2}");
        text.AppendLine($"pairs:   {packet.Pairs.Count}");
        foreach (var pair in packet.Pairs)
        {
            string key = SpoolPair.TryDecodeUtf8(pair.Key.Span) ?? "base64:" + Convert.ToBase64String(pair.Key.Span);
            string value = SpoolPair.TryDecodeUtf8(pair.Value.Span) ?? "base64:" + Convert.ToBase64String(pair.Value.Span);
            text.AppendLine($"  {key} = {value}");
        }
        text.AppendLine(packet.Body.IsEmpty
            ? "body:    none"
            : $"body:    {packet.Body.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(packet.Body.Span))}");
        if (reason is not null)
        {
            text.AppendLine("reason:  " + reason.Trim());
        }
        Console.Out.Write(text.ToString());
    }
}
