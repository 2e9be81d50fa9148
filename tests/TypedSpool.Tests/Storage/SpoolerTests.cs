using Microsoft.Extensions.Time.Testing;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Storage;

public class SpoolerTests
{
    private static SpoolPacket Packet(params (string Key, string Value)[] pairs)
        => SpoolPacket.FromText(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    [Fact]
    public void Enqueue_writes_a_uwsgi_named_0600_file_with_the_exact_packet()
    {
        using var spool = new TempSpool();
        var task = new Spooler(spool.Path).Enqueue(Packet(("ud_spool_func", "send"), ("to", "a@b")).WithBody("BODY"u8.ToArray()));

        Assert.Equal(spool.Path, Path.GetDirectoryName(task.Path));
        Assert.True(SpoolFileName.TryParse(task.FileName, out var name));
        Assert.Equal(Environment.ProcessId, name!.Value.ProcessId);
        Assert.Equal(Environment.MachineName, name.Value.Host);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(task.Path));
        var decoded = SpoolPacketCodec.Decode(File.ReadAllBytes(task.Path));
        Assert.Equal(["ud_spool_func=send", "to=a@b"], decoded.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
        Assert.Equal("BODY"u8.ToArray(), decoded.Body.ToArray());
        Assert.Equal([task.Path], spool.TaskFiles());
        Assert.Empty(Directory.GetFiles(spool.Path, ".typedspool-tmp*"));
    }

    [Fact]
    public void Counter_makes_names_unique_within_the_process()
    {
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        var names = Enumerable.Range(0, 200).AsParallel().Select(_ => spooler.Enqueue(Packet(("k", "v"))).FileName).ToHashSet();
        Assert.Equal(200, names.Count);
        Assert.Equal(200, spool.TaskFiles().Length);
    }

    [Fact]
    public void Priority_option_puts_the_file_in_its_subdirectory_and_keeps_the_key()
    {
        using var spool = new TempSpool();
        var task = new Spooler(spool.Path).Enqueue(Packet(("k", "v")), new SpoolOptions { Priority = 5 });
        Assert.Equal(spool.Combine("5"), Path.GetDirectoryName(task.Path));
        Assert.Equal(5, task.Priority);
        Assert.Equal("5", SpoolPacketCodec.Decode(File.ReadAllBytes(task.Path)).GetText("priority"));
    }

    [Fact]
    public void A_spool_directory_removed_between_enqueues_is_created_again()
    {
        using var spool = new TempSpool();
        string directory = spool.Combine("nested", "spool");
        var spooler = new Spooler(directory);
        var first = spooler.Enqueue(Packet(("k", "1")));
        Directory.Delete(spool.Combine("nested"), recursive: true);

        var second = spooler.Enqueue(Packet(("k", "2")));

        Assert.False(File.Exists(first.Path));
        Assert.Equal("2", SpoolPacketCodec.Decode(File.ReadAllBytes(second.Path)).GetText("k"));
        Assert.Equal(directory, Path.GetDirectoryName(second.Path));
    }

    [Fact]
    public void A_spool_directory_that_cannot_be_made_gives_an_IO_error_naming_it()
    {
        using var spool = new TempSpool();
        File.WriteAllText(spool.Combine("not-a-directory"), "a file");
        var spooler = new Spooler(spool.Combine("not-a-directory", "spool"));

        var ex = Assert.ThrowsAny<IOException>(() => spooler.Enqueue(Packet(("k", "v"))));

        Assert.Contains(spool.Combine("not-a-directory"), ex.Message, StringComparison.Ordinal);
        Assert.Equal("a file", File.ReadAllText(spool.Combine("not-a-directory")));
    }

    [Fact]
    public async Task Threads_enqueueing_at_once_into_a_missing_directory_all_succeed()
    {
        for (int round = 0; round < 100; round++)
        {
            using var spool = new TempSpool();
            var spooler = new Spooler(spool.Combine("new", "spool"), new SpoolerSettings { Durability = SpoolDurability.None });
            using var start = new Barrier(8);

            var threads = Enumerable.Range(0, 8).Select(i => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return spooler.Enqueue(Packet(("k", $"{i}")));
            }, TaskCreationOptions.LongRunning)).ToArray();
            await Task.WhenAll(threads);

            Assert.Equal(8, Directory.GetFiles(spool.Combine("new", "spool"), "uwsgi_spoolfile_on_*").Length);
        }
    }

    [Fact]
    public void Priority_key_in_the_packet_is_honoured_as_uwsgi_does()
    {
        using var spool = new TempSpool();
        var task = new Spooler(spool.Path).Enqueue(Packet(("priority", "12"), ("k", "v")));
        Assert.Equal(spool.Combine("12"), Path.GetDirectoryName(task.Path));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("high")]
    [InlineData("/etc")]
    [InlineData("1234567890")]
    public void Non_numeric_priority_is_refused_and_nothing_is_written(string priority)
    {
        using var spool = new TempSpool();
        var ex = Assert.Throws<ArgumentException>(() => new Spooler(spool.Path).Enqueue(Packet(("priority", priority))));
        Assert.Contains("digits", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Negative_priority_option_is_refused()
    {
        using var spool = new TempSpool();
        Assert.Throws<ArgumentException>(() => new Spooler(spool.Path).Enqueue(Packet(("k", "v")), new SpoolOptions { Priority = -1 }));
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
    }

    [Fact]
    public void At_sets_mtime_and_atime_and_writes_the_at_key()
    {
        using var spool = new TempSpool();
        var at = DateTimeOffset.FromUnixTimeSeconds(4102444800);
        var task = new Spooler(spool.Path).Enqueue(Packet(("k", "v")), new SpoolOptions { At = at });
        Assert.Equal(at.UtcDateTime, File.GetLastWriteTimeUtc(task.Path));
        Assert.Equal(at.UtcDateTime, File.GetLastAccessTimeUtc(task.Path));
        Assert.Equal("4102444800", SpoolPacketCodec.Decode(File.ReadAllBytes(task.Path)).GetText("at"));
    }

    [Fact]
    public void At_key_in_the_packet_sets_the_mtime_with_the_fraction_dropped()
    {
        using var spool = new TempSpool();
        var task = new Spooler(spool.Path).Enqueue(Packet(("at", "4102444800.75")));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(4102444800).UtcDateTime, File.GetLastWriteTimeUtc(task.Path));
        Assert.Equal("4102444800.75", SpoolPacketCodec.Decode(File.ReadAllBytes(task.Path)).GetText("at"));
    }

    [Fact]
    public void Delay_is_measured_on_the_injected_clock()
    {
        using var spool = new TempSpool();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(2_000_000_000));
        var task = new Spooler(spool.Path, new SpoolerSettings { TimeProvider = clock }).Enqueue(Packet(("k", "v")), new SpoolOptions { Delay = TimeSpan.FromMinutes(5) });
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(2_000_000_300).UtcDateTime, File.GetLastWriteTimeUtc(task.Path));
        Assert.EndsWith("_2000000000_0", task.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public void At_and_Delay_together_are_refused()
    {
        using var spool = new TempSpool();
        var ex = Assert.Throws<ArgumentException>(() => new Spooler(spool.Path).Enqueue(Packet(("k", "v")),
            new SpoolOptions { At = DateTimeOffset.UtcNow, Delay = TimeSpan.FromSeconds(1) }));
        Assert.Contains("exclusive", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
    }

    [Fact]
    public void Invalid_at_key_is_refused_and_nothing_is_written()
    {
        using var spool = new TempSpool();
        Assert.Throws<ArgumentException>(() => new Spooler(spool.Path).Enqueue(Packet(("at", "tomorrow"))));
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
    }

    [Fact]
    public void Spooler_option_picks_a_named_directory_and_the_spooler_key_matches_names_or_paths()
    {
        using var a = new TempSpool("a");
        using var b = new TempSpool("b");
        var spooler = new Spooler([new SpoolTarget("main", a.Path), new SpoolTarget("mail", b.Path)]);
        Assert.Equal(a.Path, Path.GetDirectoryName(spooler.Enqueue(Packet(("k", "v"))).Path));
        Assert.Equal(b.Path, Path.GetDirectoryName(spooler.Enqueue(Packet(("k", "v")), new SpoolOptions { Spooler = "mail" }).Path));
        Assert.Equal(b.Path, Path.GetDirectoryName(spooler.Enqueue(Packet(("spooler", b.Path + "/"))).Path));
        Assert.Equal("mail", spooler.Enqueue(Packet(("spooler", "mail"))).Spooler);
    }

    [Fact]
    public void Unknown_spooler_is_refused_listing_the_configured_ones()
    {
        using var a = new TempSpool("a");
        var spooler = new Spooler([new SpoolTarget("main", a.Path)]);
        var ex = Assert.Throws<ArgumentException>(() => spooler.Enqueue(Packet(("k", "v")), new SpoolOptions { Spooler = "nope" }));
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("main", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(a.Path));
    }

    [Fact]
    public void Oversize_value_is_refused_and_nothing_is_written()
    {
        using var spool = new TempSpool();
        var packet = new SpoolPacket([new SpoolPair("big"u8.ToArray(), new byte[70_000])]);
        Assert.Throws<SpoolLimitException>(() => new Spooler(spool.Path).Enqueue(packet));
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
    }

    [Fact]
    public void Large_body_is_written_after_the_packet()
    {
        using var spool = new TempSpool();
        var body = new byte[1_000_000];
        new Random(7).NextBytes(body);
        var task = new Spooler(spool.Path).Enqueue(Packet(("k", "v")).WithBody(body));
        Assert.Equal(body, SpoolPacketCodec.Decode(File.ReadAllBytes(task.Path)).Body.ToArray());
    }

    [Fact]
    public void Unwritable_directory_gives_an_IO_error_and_leaves_no_temporary_file()
    {
        if (Environment.UserName == "root")
        {
            // root ignores directory permissions; use a read-only file system path instead.
            using var spool = new TempSpool();
            var ex = Assert.ThrowsAny<IOException>(() => new Spooler("/proc/typedspool-cannot-exist").Enqueue(Packet(("k", "v"))));
            Assert.Contains("/proc/typedspool-cannot-exist", ex.Message, StringComparison.Ordinal);
            return;
        }
        using var ro = new TempSpool();
        File.SetUnixFileMode(ro.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.ThrowsAny<IOException>(() => new Spooler(ro.Path).Enqueue(Packet(("k", "v"))));
        File.SetUnixFileMode(ro.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Empty(Directory.GetFileSystemEntries(ro.Path));
    }

    [Fact]
    public void Empty_configuration_and_duplicate_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Spooler(Array.Empty<SpoolTarget>()));
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => new Spooler([new SpoolTarget("x", "/tmp/a"), new SpoolTarget("x", "/tmp/b")])).Message, StringComparison.Ordinal);
    }
}
