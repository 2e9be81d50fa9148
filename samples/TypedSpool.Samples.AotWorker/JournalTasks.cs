using System.Text.Json.Serialization;
using TypedSpool;

namespace AotWorker;

/// <summary>Who sent a journal entry; travels as JSON through the source-generated <see cref="JournalJson"/>, no reflection.</summary>
public sealed record EntrySource(string Producer, int Sequence);

[JsonSerializable(typeof(EntrySource))]
public sealed partial class JournalJson : JsonSerializerContext;

/// <summary>The tasks of this worker. The generator writes the stub <c>JournalTasks.Spool.Record(...)</c> and the dispatch table.</summary>
[SpoolJsonContext(typeof(JournalJson))]
public static partial class JournalTasks
{
    /// <summary>Appends one line to the journal: the entry, who sent it, and which attempt ran it.</summary>
    /// <remarks>
    /// The payload is <c>entry</c> (UTF-8 text) and <c>source</c> (JSON); the context and the journal are injected.
    /// The pinned wire name lets any producer (uWSGI, Python, <c>typedspool send</c>) address it.
    /// </remarks>
    [Spool(Name = "journal.record")]
    public static void Record(string entry, EntrySource source, SpoolContext context, [FromServices] Journal journal)
        => journal.Append($"{entry} from {source.Producer} #{source.Sequence} (attempt {context.Attempt})");
}
