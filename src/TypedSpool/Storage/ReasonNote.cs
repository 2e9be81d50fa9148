using System.Buffers;
using System.Text.Json;

namespace TypedSpool.Storage;

/// <summary>The <c>.reason.json</c> note kept beside a dead-lettered or quarantined file, for operators and the CLI.</summary>
internal static class ReasonNote
{
    public static byte[] Create(string kind, string reason, string originalPath, DateTimeOffset at, string? taskName = null,
        int? attempt = null, Exception? exception = null, long? offset = null)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("kind", kind);
            json.WriteString("reason", reason);
            json.WriteString("originalPath", originalPath);
            json.WriteString("at", at);
            if (taskName is not null) json.WriteString("task", taskName);
            if (attempt is not null) json.WriteNumber("attempt", attempt.Value);
            if (offset is not null) json.WriteNumber("offset", offset.Value);
            if (exception is not null)
            {
                json.WriteString("exceptionType", exception.GetType().FullName);
                json.WriteString("exception", exception.ToString());
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
