using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>
/// A small tmpfs mounted by the test, so that "disk full" and "read-only" are the kernel's own answers and the rest
/// of the machine is untouched. Needs root (CI runs as root); anything else skips with the reason.
/// </summary>
internal sealed partial class Tmpfs : IAsyncDisposable
{
    private const ulong MS_RDONLY = 1, MS_REMOUNT = 32;
    private const int EBUSY = 16;

    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Mounts with e.g. <c>size=512k,nr_inodes=64</c>.</summary>
    public static async Task<Tmpfs> MountAsync(string options)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("mounting a tmpfs needs root (CI runs the suite as root)");
        }
        string mount = Command.Find("mount") ?? "mount";
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "typedspool-faults", "tmpfs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var (code, output) = await Command.RunAsync(mount, "-t", "tmpfs", "-o", options + ",mode=0755", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Assert.Skip($"mount -t tmpfs failed here ({code}): {output}");
        }
        return new Tmpfs(path);
    }

    /// <summary>Changes mount options in place (<c>ro</c>, <c>rw</c>, <c>size=…</c>).</summary>
    public async Task RemountAsync(string options)
    {
        var (code, output) = await Command.RunAsync(Command.Find("mount") ?? "mount", "-o", "remount," + options, Path);
        Assert.True(code == 0, $"mount -o remount,{options} failed ({code}): {output}");
    }

    /// <summary>
    /// Remounts read-only while a worker runs. The kernel refuses (EBUSY) while any file is open for writing, and a
    /// worker holds each claimed task open read-write, so this retries the bare syscall until it lands between two claims.
    /// </summary>
    public int RemountReadOnlyBetweenClaims(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        for (int tries = 1; ; tries++)
        {
            if (Mount("tmpfs", Path, "tmpfs", MS_REMOUNT | MS_RDONLY, 0) == 0)
            {
                return tries;
            }
            int errno = Marshal.GetLastPInvokeError();
            Assert.True(errno == EBUSY, $"remount read-only failed with errno {errno}");
            Assert.True(clock.Elapsed < timeout, $"no moment without a file open for writing in {timeout} ({tries} tries)");
            Thread.SpinWait(20);
        }
    }

    [LibraryImport("libc", EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Mount(string source, string target, string fileSystemType, ulong flags, nint data);

    public async ValueTask DisposeAsync()
    {
        // Lazy: a worker that is still dying must not keep the mount (and the test run) alive.
        await Command.RunAsync(Command.Find("umount") ?? "umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
