using System.Runtime.InteropServices;

namespace TypedSpool.Storage;

/// <summary>
/// The few libc calls .NET does not expose with the guarantees a durable spool needs: an fsync whose failure
/// is reported, fsync of a directory, rename(2) with no copy fallback, opening without following symlinks,
/// open-file-description locks that conflict with uWSGI's POSIX locks, and futimens for the schedule.
/// Linux only (x64 and arm64 share every layout used here).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    internal const int O_RDONLY = 0;
    internal const int O_WRONLY = 1;
    internal const int O_RDWR = 2;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;
    internal static readonly int O_NOFOLLOW = IsArm64 ? 0x8000 : 0x20000;
    internal static readonly int O_DIRECTORY = IsArm64 ? 0x4000 : 0x10000;

    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const uint RENAME_NOREPLACE = 1;

    internal const int F_OFD_GETLK = 36;
    internal const int F_OFD_SETLK = 37;
    internal const int F_OFD_SETLKW = 38;
    internal const short F_WRLCK = 1;
    internal const short F_UNLCK = 2;

    internal const uint STATX_BASIC_STATS = 0x7ff;

    internal const int ENOENT = 2;
    internal const int EACCES = 13;
    internal const int EEXIST = 17;
    internal const int EXDEV = 18;
    internal const int EINVAL = 22;
    internal const int EAGAIN = 11;
    internal const int ELOOP = 40;
    internal const int ENOSYS = 38;
    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int ENOSPC = 28;
    internal const int EDQUOT = 122;

    private static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>struct flock as the kernel reads it for F_OFD_SETLK on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    internal struct Flock
    {
        [FieldOffset(0)] public short Type;
        [FieldOffset(2)] public short Whence;
        [FieldOffset(8)] public long Start;
        [FieldOffset(16)] public long Length;
        [FieldOffset(24)] public int Pid;
    }

    /// <summary>struct timespec (64-bit).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct statx: the same layout on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Statx
    {
        [FieldOffset(16)] public uint NLink;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long CtimeSeconds;
        [FieldOffset(104)] public uint CtimeNanoseconds;
        [FieldOffset(112)] public long MtimeSeconds;
        [FieldOffset(120)] public uint MtimeNanoseconds;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "pread", SetLastError = true)]
    internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "pwrite", SetLastError = true)]
    internal static partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int FTruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int FSync(int fd);

    [LibraryImport(Library, EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Rename(string oldPath, string newPath);

    [LibraryImport(Library, EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport(Library, EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Unlink(string path);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int FcntlLock(int fd, int command, Flock* lockInfo);

    [LibraryImport(Library, EntryPoint = "futimens", SetLastError = true)]
    internal static partial int Futimens(int fd, Timespec* times);

    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int StatxCall(int dirFd, string path, int flags, uint mask, Statx* result);
}
