using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using TypedSpool.Format;

namespace TypedSpool.Storage;

/// <summary>Where a task file stands.</summary>
public enum SpoolEntryState
{
    /// <summary>Runnable now.</summary>
    Due,
    /// <summary>Its mtime (the schedule) is in the future.</summary>
    Scheduled,
    /// <summary>A worker (TypedSpool's or uWSGI's) holds its lock: it is running.</summary>
    Locked,
    /// <summary>In the dead-letter directory after its last attempt.</summary>
    Dead,
    /// <summary>In quarantine: it could not be decoded.</summary>
    Quarantined,
    /// <summary>Set aside by an operator in <c>held/</c>, where no worker looks, until released.</summary>
    Held,
}

/// <summary>One task file as an operator sees it.</summary>
/// <param name="Path">Absolute path.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Priority">Priority directory, if any.</param>
/// <param name="TaskName">Wire name (<c>ud_spool_func</c>), if any.</param>
/// <param name="Attempt">Number of its next run (TypedSpool's attempt counter, 1 when absent).</param>
/// <param name="DueAt">Its mtime: when it is or was due.</param>
/// <param name="Size">Bytes on disk.</param>
/// <param name="Problem">Why it cannot be decoded, if it cannot.</param>
public sealed record SpoolEntry(string Path, SpoolEntryState State, int? Priority, string? TaskName, int Attempt, DateTimeOffset DueAt, long Size, string? Problem);

/// <summary>
/// Reads the state of a spool without changing it: lists task files of the spool, its priority directories, its
/// dead-letter and quarantine directories. Never takes a lock (a running worker is seen through F_OFD_GETLK) and reads
/// only each file's header and key/value area, so a large queue is listed in bounded memory, lazily.
/// </summary>
public static class SpoolInspector
{
    /// <summary>Lists the entries of <paramref name="spoolDirectory"/> (priority directories in numeric order, then the top level, dead, quarantine, held).</summary>
    public static IEnumerable<SpoolEntry> List(string spoolDirectory, DateTimeOffset now, string? deadLetterDirectory = null, string? quarantineDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spoolDirectory);
        string root = System.IO.Path.GetFullPath(spoolDirectory);
        // Checked here, not on the first MoveNext, so a caller fails before printing anything.
        return Directory.Exists(root)
            ? ListExisting(root, now, deadLetterDirectory, quarantineDirectory)
            : throw new DirectoryNotFoundException($"Spool directory '{root}' does not exist.");
    }

    private static IEnumerable<SpoolEntry> ListExisting(string root, DateTimeOffset now, string? deadLetterDirectory, string? quarantineDirectory)
    {
        foreach (var (directory, _) in SpoolScanner.ListPriorityDirectories(root))
        {
            int priority = int.Parse(System.IO.Path.GetFileName(directory), CultureInfo.InvariantCulture);
            foreach (var entry in Entries(directory, priority, null, now)) yield return entry;
        }
        foreach (var entry in Entries(root, null, null, now)) yield return entry;
        foreach (var entry in Entries(deadLetterDirectory ?? System.IO.Path.Combine(root, SpoolLayout.Dead), null, SpoolEntryState.Dead, now)) yield return entry;
        foreach (var entry in Entries(quarantineDirectory ?? System.IO.Path.Combine(root, SpoolLayout.Quarantine), null, SpoolEntryState.Quarantined, now)) yield return entry;
        foreach (var entry in Entries(System.IO.Path.Combine(root, SpoolLayout.Held), null, SpoolEntryState.Held, now)) yield return entry;
    }

    private static IEnumerable<SpoolEntry> Entries(string directory, int? priority, SpoolEntryState? fixedState, DateTimeOffset now)
    {
        foreach (var (path, _) in SpoolScanner.EnumerateTaskFiles(directory))
        {
            if (path.EndsWith(SpoolClaim.ReasonSuffix, StringComparison.Ordinal))
            {
                continue;
            }
            if (Inspect(path, priority, fixedState, now) is { } entry)
            {
                yield return entry;
            }
        }
    }

    private static SpoolEntry? Inspect(string path, int? priority, SpoolEntryState? fixedState, DateTimeOffset now)
    {
        int fd = NativeFile.TryOpen(path, Libc.O_RDONLY, 0, out int errno);
        if (fd < 0)
        {
            return errno == Libc.ENOENT ? null : throw NativeFile.Error("open", path, errno); // gone: it just ran
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = NativeFile.Stat(handle, path);
        var (name, attempt, problem) = ReadPacket(handle, status.Size);
        var state = fixedState
            ?? (NativeFile.IsLocked(handle, path) ? SpoolEntryState.Locked
                : status.ModifiedAt > now ? SpoolEntryState.Scheduled
                : SpoolEntryState.Due);
        return new SpoolEntry(path, state, priority, name, attempt, status.ModifiedAt, status.Size, problem);
    }

    /// <summary>Reads the header and area only (never the body), trusting no length.</summary>
    private static (string? Name, int Attempt, string? Problem) ReadPacket(SafeFileHandle handle, long size)
    {
        Span<byte> header = stackalloc byte[SpoolPacketCodec.HeaderSize];
        if (size < header.Length || RandomAccess.Read(handle, header, 0) < header.Length)
        {
            return (null, 1, $"{SpoolFormatError.HeaderTruncated} at offset 0: the file has {size} bytes");
        }
        int area = BinaryPrimitives.ReadUInt16LittleEndian(header[1..3]);
        var bytes = new byte[SpoolPacketCodec.HeaderSize + (int)Math.Min(area, size - SpoolPacketCodec.HeaderSize)];
        int read = RandomAccess.Read(handle, bytes, 0);
        try
        {
            var packet = SpoolPacketCodec.Decode(bytes.AsMemory(0, read));
            string? attemptText = packet.GetText(SpoolKeys.Attempt);
            int attempt = int.TryParse(attemptText, NumberStyles.None, CultureInfo.InvariantCulture, out int a) && a >= 1 ? a : 1;
            return (packet.GetText(SpoolKeys.TaskName), attempt, null);
        }
        catch (SpoolFormatException ex)
        {
            return (null, 1, ex.Message);
        }
    }
}
