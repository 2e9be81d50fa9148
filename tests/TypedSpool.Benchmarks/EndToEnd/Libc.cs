using System.Runtime.InteropServices;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>The few libc calls the harness makes itself.</summary>
internal static partial class Libc
{
    private const int O_WRONLY = 0x1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000;

    /// <summary>
    /// open(O_APPEND), write, close: one atomic line even from concurrent workers (Hangfire runs ten), and the
    /// same three syscalls the Python handler makes, so the task costs the same in every system.
    /// </summary>
    public static void AppendLine(string path, ReadOnlySpan<byte> line)
    {
        int fd = Open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0x1a4 /* 0644 */);
        if (fd < 0) throw new IOException($"open {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            nint written = Write(fd, line, line.Length);
            if (written != line.Length) throw new IOException($"write {path}: {written} of {line.Length} bytes, errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>Flushes every dirty page, so one system's unwritten data does not slow the next one's fsyncs.</summary>
    [LibraryImport("libc", EntryPoint = "sync")]
    public static partial void Sync();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
