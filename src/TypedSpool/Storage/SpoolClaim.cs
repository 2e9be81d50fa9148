using Microsoft.Win32.SafeHandles;

namespace TypedSpool.Storage;

/// <summary>
/// The lease on one task file: an open descriptor holding a whole-file write lock. While it is held, no other
/// TypedSpool worker and no uWSGI spooler runs the file. Disposing releases the lock (the kernel also does so
/// when the process dies, which is what makes a killed worker's task run again).
/// </summary>
internal sealed class SpoolClaim : IDisposable
{
    private readonly SafeFileHandle _handle;

    private SpoolClaim(string path, SafeFileHandle handle, FileStatus status)
    {
        Path = path;
        _handle = handle;
        Status = status;
    }

    public string Path { get; }

    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Status of the locked inode at the time it was claimed.</summary>
    public FileStatus Status { get; }

    /// <summary>
    /// Opens and locks a task file without blocking. Returns null when the file is gone, replaced, not a regular
    /// file, locked by someone else, or (re-checked under the lock) not yet due.
    /// </summary>
    public static SpoolClaim? TryClaim(string path, DateTimeOffset now, out ClaimOutcome outcome)
    {
        int fd = NativeFile.TryOpen(path, Libc.O_RDWR, 0, out int errno);
        if (fd < 0)
        {
            outcome = errno switch
            {
                Libc.ENOENT => ClaimOutcome.Gone,
                Libc.ELOOP => ClaimOutcome.NotRegularFile,
                Libc.EACCES => ClaimOutcome.NoAccess,
                _ => throw NativeFile.Error("open", path, errno),
            };
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (!NativeFile.TryLock(handle, path))
            {
                outcome = ClaimOutcome.Locked;
                handle.Dispose();
                return null;
            }
            var status = NativeFile.Stat(handle, path);
            // The name may have been deleted or replaced (a retry rewrite) between open and lock.
            var current = NativeFile.TryStat(path);
            if (current is null || !current.Value.IsSameFile(status))
            {
                outcome = ClaimOutcome.Gone;
                handle.Dispose();
                return null;
            }
            if (!status.IsRegularFile)
            {
                outcome = ClaimOutcome.NotRegularFile;
                handle.Dispose();
                return null;
            }
            if (status.ModifiedAt > now)
            {
                outcome = ClaimOutcome.NotDue;
                handle.Dispose();
                return null;
            }
            outcome = ClaimOutcome.Claimed;
            return new SpoolClaim(path, handle, status);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the whole file. The buffer is sized from the size fstat gave under the lock (no writer changes a locked
    /// file), never from the file's contents.
    /// </summary>
    public byte[] ReadAll()
    {
        long length = Status.Size;
        if (length > Array.MaxLength)
        {
            throw new IOException($"Spool file '{Path}' is {length} bytes, too large to read.");
        }
        var buffer = new byte[length];
        int total = 0;
        while (total < buffer.Length)
        {
            int read = NativeFile.Read(_handle, buffer.AsSpan(total), total, Path);
            if (read == 0)
            {
                Array.Resize(ref buffer, total);
                break;
            }
            total += read;
        }
        return buffer;
    }

    /// <summary>Deletes the file while still holding the lock, so no one else can run it in between.</summary>
    public void Delete() => NativeFile.Unlink(Path);

    /// <summary>Atomically replaces the file's content and schedule (a retry) under the same name.</summary>
    public void Replace(IReadOnlyList<ReadOnlyMemory<byte>> content, DateTimeOffset runAfter, SpoolDurability durability)
        => DurableFile.Write(Directory, FileName, content, runAfter, durability, replace: true);

    /// <summary>
    /// Moves the file into <paramref name="targetDirectory"/> with a <c>.reason.json</c> note beside it, so it is
    /// kept but never run. The note is written first: a crash in between leaves the task where it was.
    /// </summary>
    public string MoveTo(string targetDirectory, ReadOnlyMemory<byte> reasonJson, SpoolDurability durability)
    {
        bool durable = durability == SpoolDurability.Full;
        NativeFile.EnsureDirectory(targetDirectory, durable);
        DurableFile.Write(targetDirectory, FileName + ReasonSuffix, [reasonJson], null, durability, replace: true);
        string target = System.IO.Path.Combine(targetDirectory, FileName);
        NativeFile.Rename(Path, target);
        if (durable)
        {
            NativeFile.FSyncDirectory(targetDirectory);
            NativeFile.FSyncDirectory(Directory);
        }
        return target;
    }

    /// <summary>Suffix of the note written beside a dead-lettered or quarantined file.</summary>
    public const string ReasonSuffix = ".reason.json";

    public void Dispose() => _handle.Dispose();
}

/// <summary>Why a claim did or did not succeed.</summary>
internal enum ClaimOutcome
{
    Claimed,
    Gone,
    Locked,
    NotDue,
    NotRegularFile,
    NoAccess,
}
