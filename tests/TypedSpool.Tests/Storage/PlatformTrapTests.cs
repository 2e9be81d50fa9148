using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Storage;

/// <summary>
/// The .NET-on-Linux traps that made the spool call libc itself, each shown next to what the spool does instead.
/// </summary>
public class PlatformTrapTests
{
    [Fact]
    public void FileStream_Flush_true_reports_success_where_fsync_fails_but_ours_throws()
    {
        // fsync(2) on /dev/null fails with EINVAL; .NET swallows EINVAL/EROFS/ENOTSUP in Flush(true).
        using (var stream = new FileStream("/dev/null", FileMode.Open, FileAccess.Write))
        {
            stream.WriteByte(1);
            stream.Flush(flushToDisk: true);
        }
        using var handle = NativeFile.Open("/dev/null", Libc.O_WRONLY);
        var ex = Assert.Throws<IOException>(() => NativeFile.FSync(handle, "/dev/null"));
        Assert.Contains("fsync", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Libc.EINVAL, ex.HResult);
    }

    [Fact]
    public void File_Move_copies_across_file_systems_but_ours_refuses()
    {
        const string shm = "/dev/shm";
        if (!Directory.Exists(shm) || DeviceOf(shm) == DeviceOf(Path.GetTempPath()))
        {
            Assert.Skip("needs /dev/shm on another file system than the temp directory");
        }
        using var spool = new TempSpool();
        string source = Path.Combine(shm, "typedspool-trap-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(source, "x");
            string viaDotnet = spool.Combine("moved-by-dotnet");
            File.Move(source, viaDotnet); // silently a copy and a delete: not atomic
            Assert.True(File.Exists(viaDotnet));

            File.WriteAllText(source, "x");
            var ex = Assert.Throws<IOException>(() => NativeFile.Rename(source, spool.Combine("moved-by-us")));
            Assert.Equal(Libc.EXDEV, ex.HResult);
            Assert.True(File.Exists(source));
            Assert.False(File.Exists(spool.Combine("moved-by-us")));
        }
        finally
        {
            File.Delete(source);
        }
    }

    [Fact]
    public void Dotnet_cannot_open_a_directory_for_fsync_but_ours_can()
    {
        using var spool = new TempSpool();
        Assert.ThrowsAny<Exception>(() => File.OpenHandle(spool.Path, FileMode.Open, FileAccess.Read));
        NativeFile.FSyncDirectory(spool.Path);
    }

    [Fact]
    public void Dotnet_follows_a_symlink_but_ours_refuses_it()
    {
        using var spool = new TempSpool();
        string target = spool.Combine("target");
        File.WriteAllText(target, "secret");
        string link = spool.Combine("uwsgi_spoolfile_on_h_1_1_1_1_1");
        File.CreateSymbolicLink(link, target);

        using (var followed = File.OpenHandle(link, FileMode.Open, FileAccess.Read))
        {
            Assert.Equal(6, RandomAccess.GetLength(followed));
        }
        var ex = Assert.Throws<IOException>(() => NativeFile.Open(link, Libc.O_RDONLY));
        Assert.Equal(Libc.ELOOP, ex.HResult);
        Assert.Null(SpoolClaim.TryClaim(link, DateTimeOffset.UtcNow, out var outcome));
        Assert.Equal(ClaimOutcome.NotRegularFile, outcome);
    }

    [Fact]
    public void Open_file_description_locks_exclude_each_other_within_one_process()
    {
        using var spool = new TempSpool();
        string path = new Spooler(spool.Path).Enqueue(TypedSpool.Format.SpoolPacket.FromText([KeyValuePair.Create("k", "v")])).Path;
        using var first = SpoolClaim.TryClaim(path, DateTimeOffset.UtcNow, out var firstOutcome);
        Assert.Equal(ClaimOutcome.Claimed, firstOutcome);
        Assert.Null(SpoolClaim.TryClaim(path, DateTimeOffset.UtcNow, out var secondOutcome));
        Assert.Equal(ClaimOutcome.Locked, secondOutcome);
        first!.Dispose();
        using var third = SpoolClaim.TryClaim(path, DateTimeOffset.UtcNow, out var thirdOutcome);
        Assert.Equal(ClaimOutcome.Claimed, thirdOutcome);
    }

    [Fact]
    public void A_claim_on_a_file_replaced_after_open_is_refused()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path);
        string path = spooler.Enqueue(TypedSpool.Format.SpoolPacket.FromText([KeyValuePair.Create("k", "v")])).Path;
        using (var claim = SpoolClaim.TryClaim(path, DateTimeOffset.UtcNow, out _))
        {
            claim!.Delete();
        }
        Assert.Null(SpoolClaim.TryClaim(path, DateTimeOffset.UtcNow, out var outcome));
        Assert.Equal(ClaimOutcome.Gone, outcome);
    }

    [Fact]
    public void A_claim_rechecks_the_schedule_under_the_lock()
    {
        using var spool = new TempSpool();
        string path = new Spooler(spool.Path).Enqueue(TypedSpool.Format.SpoolPacket.FromText([KeyValuePair.Create("k", "v")]),
            new SpoolOptions { At = DateTimeOffset.UtcNow.AddHours(1) }).Path;
        Assert.Null(SpoolClaim.TryClaim(path, DateTimeOffset.UtcNow, out var outcome));
        Assert.Equal(ClaimOutcome.NotDue, outcome);
    }

    private static string DeviceOf(string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", "%d", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
