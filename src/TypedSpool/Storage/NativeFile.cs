using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TypedSpool.Storage;

/// <summary>
/// Checked wrappers over <see cref="Libc"/>: every failing call becomes an <see cref="IOException"/> that names
/// the operation, the path and the errno text, so no failure is ever ignored.
/// </summary>
internal static unsafe class NativeFile
{
    internal const uint OwnerReadWrite = 0x180; // 0600, as uWSGI creates spool files

    public static IOException Error(string operation, string path, int errno)
        => new($"{operation} '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);

    /// <summary>Opens <paramref name="path"/> with open(2); a symlink in the last component is refused (ELOOP).</summary>
    public static SafeFileHandle Open(string path, int flags, uint mode = 0)
    {
        int fd = TryOpen(path, flags, mode, out int errno);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Error("open", path, errno);
    }

    /// <summary>open(2) with O_NOFOLLOW|O_CLOEXEC added; returns -1 and the errno on failure.</summary>
    public static int TryOpen(string path, int flags, uint mode, out int errno)
    {
        ThrowIfUnsupported();
        int fd = Libc.Open(path, flags | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>fsync(2), failing loudly (unlike FileStream.Flush(true), which ignores some errors).</summary>
    public static void FSync(SafeFileHandle handle, string pathForErrors)
    {
        using var fd = new Descriptor(handle);
        if (Libc.FSync(fd.Number) != 0)
        {
            throw Error("fsync", pathForErrors, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// pread(2) into <paramref name="buffer"/>; returns the bytes read (0 at the end of the file). Called directly rather
    /// than through RandomAccess, which also fstats and lseeks a handle it has not seen before: two syscalls per task.
    /// </summary>
    public static int Read(SafeFileHandle handle, Span<byte> buffer, long offset, string pathForErrors)
    {
        using var fd = new Descriptor(handle);
        fixed (byte* start = buffer)
        {
            while (true)
            {
                nint read = Libc.PRead(fd.Number, start, (nuint)buffer.Length, offset);
                if (read >= 0)
                {
                    return (int)read;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Libc.EINTR)
                {
                    throw Error("pread", pathForErrors, errno);
                }
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> from offset 0 with pwrite(2), one call per part unless the kernel writes less.
    /// Called directly rather than through RandomAccess, which also fstats and lseeks a handle it has not seen before.
    /// Returns the total length written.
    /// </summary>
    public static long Write(SafeFileHandle handle, IReadOnlyList<ReadOnlyMemory<byte>> content, string pathForErrors)
    {
        using var fd = new Descriptor(handle);
        long offset = 0;
        for (int i = 0; i < content.Count; i++)
        {
            var part = content[i].Span;
            fixed (byte* start = part)
            {
                int done = 0;
                while (done < part.Length)
                {
                    nint written = Libc.PWrite(fd.Number, start + done, (nuint)(part.Length - done), offset + done);
                    if (written <= 0)
                    {
                        int errno = written == 0 ? Libc.EIO : Marshal.GetLastPInvokeError(); // 0 bytes for a non-empty write: no progress possible
                        if (errno == Libc.EINTR) continue;
                        throw Error("pwrite", pathForErrors, errno);
                    }
                    done += (int)written;
                }
            }
            offset += part.Length;
        }
        return offset;
    }

    /// <summary>Makes the entries of a directory (creations, renames) durable.</summary>
    public static void FSyncDirectory(string directory)
    {
        using var handle = Open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY);
        FSync(handle, directory);
    }

    /// <summary>rename(2), replacing the target; never falls back to copy and delete.</summary>
    public static void Rename(string from, string to)
    {
        ThrowIfUnsupported();
        if (Libc.Rename(from, to) != 0)
        {
            throw Error("rename", $"{from}' to '{to}", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// rename(2) that refuses to replace an existing target; returns false when the target exists.
    /// Falls back to a plain rename on filesystems without RENAME_NOREPLACE (names are unique by construction).
    /// </summary>
    public static bool RenameNoReplace(string from, string to)
    {
        int errno = TryRenameNoReplace(from, to);
        if (errno is 0)
        {
            return true;
        }
        if (errno == Libc.EEXIST)
        {
            return false;
        }
        if (errno is Libc.EINVAL or Libc.ENOSYS)
        {
            Rename(from, to);
            return true;
        }
        throw Error("rename", $"{from}' to '{to}", errno);
    }

    /// <summary>renameat2(2) with RENAME_NOREPLACE that reports every failure as an errno instead of throwing (0 on success).</summary>
    public static int TryRenameNoReplace(string from, string to)
    {
        ThrowIfUnsupported();
        return Libc.RenameAt2(Libc.AT_FDCWD, from, Libc.AT_FDCWD, to, Libc.RENAME_NOREPLACE) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>ftruncate(2): sets the file's length (a recycled file can be longer than its new content).</summary>
    public static void Truncate(SafeFileHandle handle, long length, string pathForErrors)
    {
        using var fd = new Descriptor(handle);
        if (Libc.FTruncate(fd.Number, length) != 0)
        {
            throw Error("ftruncate", pathForErrors, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>unlink(2); returns false when the file was already gone.</summary>
    public static bool Unlink(string path)
    {
        ThrowIfUnsupported();
        if (Libc.Unlink(path) == 0)
        {
            return true;
        }
        int errno = Marshal.GetLastPInvokeError();
        return errno == Libc.ENOENT ? false : throw Error("unlink", path, errno);
    }

    /// <summary>Sets atime and mtime (uWSGI sets both to <c>at</c>).</summary>
    public static void SetTimes(SafeFileHandle handle, DateTimeOffset time, string pathForErrors)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        var times = stackalloc Libc.Timespec[2];
        times[0] = new Libc.Timespec { Seconds = seconds, Nanoseconds = remainder * 100 };
        times[1] = times[0];
        using var fd = new Descriptor(handle);
        if (Libc.Futimens(fd.Number, times) != 0)
        {
            throw Error("futimens", pathForErrors, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Takes a non-blocking whole-file write lock on the open file description (F_OFD_SETLK). It conflicts with
    /// uWSGI's POSIX fcntl locks and with other descriptions in this process; closing the handle releases it.
    /// Returns false when someone else holds a conflicting lock.
    /// </summary>
    public static bool TryLock(SafeFileHandle handle, string pathForErrors)
    {
        var info = new Libc.Flock { Type = Libc.F_WRLCK, Whence = 0, Start = 0, Length = 0, Pid = 0 };
        using var fd = new Descriptor(handle);
        if (Libc.FcntlLock(fd.Number, Libc.F_OFD_SETLK, &info) == 0)
        {
            return true;
        }
        int errno = Marshal.GetLastPInvokeError();
        return errno is Libc.EAGAIN or Libc.EACCES ? false : throw Error("fcntl(F_OFD_SETLK)", pathForErrors, errno);
    }

    /// <summary>True when another open file description or process holds a lock that would stop a worker's claim (F_OFD_GETLK; takes nothing).</summary>
    public static bool IsLocked(SafeFileHandle handle, string pathForErrors)
    {
        var info = new Libc.Flock { Type = Libc.F_WRLCK, Whence = 0, Start = 0, Length = 0, Pid = 0 };
        using var fd = new Descriptor(handle);
        if (Libc.FcntlLock(fd.Number, Libc.F_OFD_GETLK, &info) != 0)
        {
            throw Error("fcntl(F_OFD_GETLK)", pathForErrors, Marshal.GetLastPInvokeError());
        }
        return info.Type != Libc.F_UNLCK;
    }

    /// <summary>Takes a whole-file write lock on the open file description, waiting for it (F_OFD_SETLKW).</summary>
    public static void Lock(SafeFileHandle handle, string pathForErrors)
    {
        var info = new Libc.Flock { Type = Libc.F_WRLCK, Whence = 0, Start = 0, Length = 0, Pid = 0 };
        using var fd = new Descriptor(handle);
        while (Libc.FcntlLock(fd.Number, Libc.F_OFD_SETLKW, &info) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
            {
                throw Error("fcntl(F_OFD_SETLKW)", pathForErrors, errno);
            }
        }
    }

    /// <summary>statx(2) of an open file.</summary>
    public static FileStatus Stat(SafeFileHandle handle, string pathForErrors)
    {
        using var fd = new Descriptor(handle);
        Libc.Statx result;
        if (Libc.StatxCall(fd.Number, "", Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, &result) != 0)
        {
            throw Error("statx", pathForErrors, Marshal.GetLastPInvokeError());
        }
        return ToStatus(result);
    }

    /// <summary>lstat-like statx(2) of a path (never follows a final symlink); null when it does not exist.</summary>
    public static FileStatus? TryStat(string path)
    {
        ThrowIfUnsupported();
        Libc.Statx result;
        if (Libc.StatxCall(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &result) == 0)
        {
            return ToStatus(result);
        }
        int errno = Marshal.GetLastPInvokeError();
        return errno == Libc.ENOENT ? null : throw Error("statx", path, errno);
    }

    /// <summary>Creates a directory (and parents) if missing, making the new entry durable when asked.</summary>
    public static void EnsureDirectory(string path, bool durable)
    {
        if (Directory.Exists(path))
        {
            return;
        }
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path));
        if (parent is not null && !Directory.Exists(parent))
        {
            EnsureDirectory(parent, durable);
        }
        if (!OperatingSystem.IsLinux())
        {
            ThrowIfUnsupported();
            return;
        }
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        if (durable && parent is not null)
        {
            FSyncDirectory(parent);
        }
    }

    private static FileStatus ToStatus(in Libc.Statx s)
    {
        var mtime = DateTimeOffset.UnixEpoch.AddTicks(s.MtimeSeconds * TimeSpan.TicksPerSecond + s.MtimeNanoseconds / 100);
        ulong device = ((ulong)s.DevMajor << 32) | s.DevMinor;
        var ctime = DateTimeOffset.UnixEpoch.AddTicks(s.CtimeSeconds * TimeSpan.TicksPerSecond + s.CtimeNanoseconds / 100);
        return new FileStatus(device, s.Inode, s.Mode, (long)s.Size, mtime, s.NLink, ctime);
    }

    /// <summary>
    /// A handle's descriptor, kept from being closed (and its number reused by another file) while a raw call uses it.
    /// </summary>
    private readonly ref struct Descriptor
    {
        private readonly SafeFileHandle _handle;

        public Descriptor(SafeFileHandle handle)
        {
            bool added = false;
            handle.DangerousAddRef(ref added); // throws, with nothing to release, when the handle is closed
            _handle = handle;
            Number = (int)handle.DangerousGetHandle();
        }

        public int Number { get; }

        public void Dispose() => _handle.DangerousRelease();
    }

    private static void ThrowIfUnsupported()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("TypedSpool's file spool needs Linux (open-file-description locks, statx, renameat2).");
        }
    }
}
