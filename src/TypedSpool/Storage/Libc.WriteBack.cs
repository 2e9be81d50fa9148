using System.Runtime.InteropServices;

namespace TypedSpool.Storage;

internal static partial class Libc
{
    /// <summary>Starts writeback of dirty pages without waiting: lets many files' data reach the disk in one go before each is fsynced.</summary>
    internal const uint SYNC_FILE_RANGE_WRITE = 2;

    [LibraryImport(Library, EntryPoint = "sync_file_range", SetLastError = true)]
    internal static partial int SyncFileRange(int fd, long offset, long count, uint flags);
}
