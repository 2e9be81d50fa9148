using Microsoft.Win32.SafeHandles;

namespace TypedSpool.Storage;

/// <summary>
/// Writes a file so that readers see all of it or nothing: temporary name in the same directory (not starting
/// with the task prefix, so no consumer picks it up), write, set the mtime, fsync, rename(2), fsync the directory.
/// </summary>
internal static class DurableFile
{
    /// <summary>Temporary files start with this; consumers ignore them and stale ones may be removed.</summary>
    public const string TemporaryPrefix = ".typedspool-tmp.";

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="directory"/>/<paramref name="fileName"/>.
    /// Returns false, leaving nothing behind, when <paramref name="replace"/> is false and the name is taken.
    /// On any failure the temporary file is removed and the exception propagates.
    /// </summary>
    public static bool Write(string directory, string fileName, IReadOnlyList<ReadOnlyMemory<byte>> content,
        DateTimeOffset? modifiedAt, SpoolDurability durability, bool replace)
        => Write(directory, fileName, Path.Combine(directory, fileName), content, modifiedAt, durability, replace, pool: null);

    /// <summary>
    /// As above, for a caller that already holds the final path (<paramref name="directory"/>/<paramref name="fileName"/>);
    /// with a <paramref name="pool"/>, the temporary file is a recycled one when the pool has one.
    /// </summary>
    public static bool Write(string directory, string fileName, string finalPath, IReadOnlyList<ReadOnlyMemory<byte>> content,
        DateTimeOffset? modifiedAt, SpoolDurability durability, bool replace, FilePool? pool)
    {
        string temporaryPath = Path.Combine(directory, TemporaryPrefix + fileName);
        bool renamed = false;
        try
        {
            using (SafeFileHandle handle = OpenTemporary(temporaryPath, pool, out bool recycled))
            {
                long length = NativeFile.Write(handle, content, temporaryPath);
                if (recycled)
                {
                    NativeFile.Truncate(handle, length, temporaryPath);
                }
                if (modifiedAt is { } time)
                {
                    // Before the fsync, so that one fsync makes both the bytes and the schedule durable.
                    NativeFile.SetTimes(handle, time, temporaryPath);
                }
                if (durability == SpoolDurability.Full)
                {
                    NativeFile.FSync(handle, temporaryPath);
                }
            }

            if (replace)
            {
                NativeFile.Rename(temporaryPath, finalPath);
            }
            else if (!NativeFile.RenameNoReplace(temporaryPath, finalPath))
            {
                return false;
            }
            renamed = true;
            if (durability == SpoolDurability.Full)
            {
                SyncDirectoryOrWithdraw(directory, finalPath, withdraw: !replace);
            }
            return true;
        }
        finally
        {
            if (!renamed)
            {
                TryRemove(temporaryPath);
            }
        }
    }

    /// <summary>
    /// fsyncs the directory. If that fails, a new file is withdrawn before the error propagates, so that a write the
    /// caller sees fail leaves nothing that a worker would run (a producer that retries would otherwise run it twice).
    /// A replaced file is never withdrawn: its old content is gone already, and the new one is the task.
    /// </summary>
    private static void SyncDirectoryOrWithdraw(string directory, string finalPath, bool withdraw)
    {
        try
        {
            NativeFile.FSyncDirectory(directory);
        }
        catch (IOException) when (withdraw)
        {
            TryRemove(finalPath);
            try
            {
                NativeFile.FSyncDirectory(directory);
            }
            catch (IOException)
            {
                // The first failure is the one to report; the withdrawal is best effort.
            }
            throw;
        }
    }

    /// <summary>
    /// A recycled file from the pool when it has one that can be overwritten, else a new file. On a full disk the pool
    /// is looked at again, whatever its back-off: its files are the room left.
    /// </summary>
    private static SafeFileHandle OpenTemporary(string temporaryPath, FilePool? pool, out bool recycled)
    {
        recycled = true;
        if (pool is not null && pool.TryTake(temporaryPath) && OpenTaken(temporaryPath) is { } reused)
        {
            return reused;
        }
        int fd = NativeFile.TryOpen(temporaryPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL, NativeFile.OwnerReadWrite, out int errno);
        if (fd >= 0)
        {
            recycled = false;
            return new SafeFileHandle(fd, ownsHandle: true);
        }
        if (errno is Libc.ENOSPC or Libc.EDQUOT && pool is not null && pool.TryTake(temporaryPath, ignoreBackoff: true)
            && OpenTaken(temporaryPath) is { } room)
        {
            return room;
        }
        throw NativeFile.Error("open", temporaryPath, errno);
    }

    /// <summary>Opens a file just taken from the pool; null, having removed it, when it is not one to overwrite.</summary>
    private static SafeFileHandle? OpenTaken(string temporaryPath)
    {
        // O_NONBLOCK: a FIFO someone left in the pool must fail to open, not block the producer.
        int fd = NativeFile.TryOpen(temporaryPath, Libc.O_WRONLY | Libc.O_NONBLOCK, 0, out _);
        if (fd >= 0)
        {
            var handle = new SafeFileHandle(fd, ownsHandle: true);
            // One link only: after a power loss, a file system without a journal (once repaired) can keep a file
            // both in the pool and under a task name; overwriting it would destroy that task.
            if (NativeFile.Stat(handle, temporaryPath) is { IsRegularFile: true, LinkCount: 1 })
            {
                return handle;
            }
            handle.Dispose();
        }
        // Not a file this process can overwrite (a symlink, a FIFO, another user's file): drop it.
        TryRemove(temporaryPath);
        return null;
    }

    private static void TryRemove(string path)
    {
        try
        {
            NativeFile.Unlink(path);
        }
        catch (IOException)
        {
            // The original failure is what the caller needs to see; a leftover temporary file is never run.
        }
    }
}
