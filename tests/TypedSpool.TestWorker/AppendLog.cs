using System.Runtime.InteropServices;

/// <summary>
/// Appends a line with one write(2) on an O_APPEND descriptor, so that workers in several processes and threads
/// sharing one log never overwrite each other (.NET's FileMode.Append seeks instead of using O_APPEND).
/// </summary>
internal static partial class AppendLog
{
    private const int O_WRONLY = 0x1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000;

    public static unsafe void WriteLine(string path, ReadOnlySpan<byte> line)
    {
        int fd = Open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0x1a4 /* 0644 */);
        if (fd < 0) throw new IOException($"open {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            fixed (byte* bytes = line)
            {
                nint written = Write(fd, bytes, line.Length);
                if (written != line.Length) throw new IOException($"write {path}: {written} of {line.Length} bytes, errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
