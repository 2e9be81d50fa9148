using System.Runtime.InteropServices;

namespace TypedSpool.Storage;

/// <summary>The inotify, poll and eventfd calls behind <see cref="DirectoryWatch"/> (Linux only; same numbers on x64 and arm64).</summary>
internal static unsafe partial class Libc
{
    internal const int IN_NONBLOCK = O_NONBLOCK;
    internal const int IN_CLOEXEC = O_CLOEXEC;

    internal const uint IN_MOVED_TO = 0x80;
    internal const uint IN_CREATE = 0x100;
    internal const uint IN_DELETE_SELF = 0x400;
    internal const uint IN_MOVE_SELF = 0x800;
    internal const uint IN_Q_OVERFLOW = 0x4000;
    internal const uint IN_IGNORED = 0x8000;
    internal const uint IN_ONLYDIR = 0x01000000;
    internal const uint IN_DONT_FOLLOW = 0x02000000;
    internal const uint IN_EXCL_UNLINK = 0x04000000;
    internal const uint IN_ISDIR = 0x40000000;

    internal const short POLLIN = 1;
    internal const int EFD_NONBLOCK = O_NONBLOCK;
    internal const int EFD_CLOEXEC = O_CLOEXEC;

    /// <summary>Size of struct inotify_event before its name.</summary>
    internal const int InotifyEventHeaderSize = 16;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Library, EntryPoint = "inotify_init1", SetLastError = true)]
    internal static partial int InotifyInit1(int flags);

    [LibraryImport(Library, EntryPoint = "inotify_add_watch", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int InotifyAddWatch(int fd, string path, uint mask);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nuint count);
}
