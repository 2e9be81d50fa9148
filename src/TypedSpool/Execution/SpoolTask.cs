using TypedSpool.Format;

namespace TypedSpool;

/// <summary>One task file as a handler receives it.</summary>
public sealed class SpoolTask
{
    internal SpoolTask(SpoolPacket packet, string filePath, int attempt, int? priority, DateTimeOffset scheduledAt)
    {
        Packet = packet;
        FilePath = filePath;
        Attempt = attempt;
        Priority = priority;
        ScheduledAt = scheduledAt;
        Name = packet.GetText(SpoolKeys.TaskName);
    }

    /// <summary>The task's wire name (<c>ud_spool_func</c>), or null for a plain uWSGI packet without one.</summary>
    public string? Name { get; }

    /// <summary>The decoded packet: pairs in file order and the body.</summary>
    public SpoolPacket Packet { get; }

    /// <summary>The body (bytes after the packet).</summary>
    public ReadOnlyMemory<byte> Body => Packet.Body;

    /// <summary>Which run this is, from 1.</summary>
    public int Attempt { get; }

    /// <summary>Absolute path of the spool file.</summary>
    public string FilePath { get; }

    /// <summary>The bare file name (uWSGI's <c>spooler_task_name</c>).</summary>
    public string FileName => Path.GetFileName(FilePath);

    /// <summary>Priority subdirectory the file is in, if any.</summary>
    public int? Priority { get; }

    /// <summary>When the task became due (the file's mtime).</summary>
    public DateTimeOffset ScheduledAt { get; }
}
