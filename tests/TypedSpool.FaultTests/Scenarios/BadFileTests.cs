using System.Buffers.Binary;
using System.Text.Json;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// Broken and hostile files under task names, mixed with valid tasks: each is quarantined (with a note) or skipped,
/// never run as something it is not, never in the way of the valid tasks, and never read whole into memory.
/// </summary>
public sealed class BadFileTests
{
    private static readonly DateTimeOffset s_old = DateTimeOffset.UtcNow.AddMinutes(-10);

    [Fact]
    public async Task A_file_truncated_at_every_offset_is_quarantined_unless_the_cut_is_inside_the_body()
    {
        using var spool = new TempSpool("fault-truncated");
        int files = 0, expectedQuarantine = 0, expectedRuns = 0;
        foreach (string fixture in new[] { "01-plain-ascii", "02-utf8", "24-deco-spool-pass-arguments", "12-body-binary" })
        {
            byte[] original = File.ReadAllBytes(Directory.GetFiles(Path.Combine(Fixtures.UwsgiCases, fixture), "uwsgi_spoolfile_on_*")
                .Single(f => !f.EndsWith(".json", StringComparison.Ordinal)));
            int packetEnd = SpoolPacketCodec.HeaderSize + BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(1, 2));
            for (int length = 0; length < original.Length; length++)
            {
                WriteOld(spool.Combine($"uwsgi_spoolfile_on_cut_{fixture}_{length}_1_1_1"), original.AsSpan(0, length));
                files++;
                // The format has no body length: a cut inside the body leaves a shorter, valid task (uWSGI runs it too).
                if (length >= packetEnd) expectedRuns++; else expectedQuarantine++;
            }
        }
        string control = new Spooler(spool.Path).Enqueue(FaultTask.Create("control", 10, new Random(1))).Path;

        var worker = new InProcessWorker(spool.Path);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var summary = await worker.RunOnceAsync();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        Assert.Equal(expectedQuarantine, summary.Quarantined);
        Assert.Equal(expectedRuns + 1, summary.Succeeded);
        Assert.Contains(worker.Ran, t => t.FilePath == control);
        var contents = SpoolContents.Read(spool.Path);
        Assert.Equal(expectedQuarantine, contents.Quarantined.Count);
        Assert.Equal(0, new TempSpoolView(spool.Path).TaskFileCount);
        Assert.All(contents.Quarantined, q => Assert.True(File.Exists(q + ".reason.json"), $"no note beside {q}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{files} cuts: {expectedQuarantine} quarantined, {expectedRuns} body cuts ran; {allocated / 1024} KiB allocated");
        FaultSummary.Add(new FaultRow("4a truncated at every offset (4 fixtures)", files, 1, summary.Succeeded, 0, 0, summary.Quarantined,
            $"{expectedRuns} cuts inside a body are valid uWSGI files and ran"));
    }

    [Fact]
    public async Task Random_bit_flips_are_run_only_when_the_packet_still_decodes_and_never_block_the_queue()
    {
        using var spool = new TempSpool("fault-bitflip");
        int seed = Environment.TickCount;
        var random = new Random(seed);
        const int Files = 400;
        int decodable = 0, wholeAfterFlip = 0;
        for (int i = 0; i < Files; i++)
        {
            byte[] bytes = SpoolPacketCodec.EncodeFile(FaultTask.Create("flip-" + i, random.Next(0, 64), random));
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
            WriteOld(spool.Combine($"uwsgi_spoolfile_on_flip_{i}_1_1_1_1"), bytes);
            try
            {
                var packet = SpoolPacketCodec.Decode(bytes);
                decodable++;
                if (FaultTask.IsWhole(packet)) wholeAfterFlip++;
            }
            catch (SpoolFormatException)
            {
            }
        }

        var worker = new InProcessWorker(spool.Path);
        var summary = await worker.RunOnceAsync();

        Assert.Equal(decodable, summary.Succeeded);
        Assert.Equal(Files - decodable, summary.Quarantined);
        Assert.Equal(0, new TempSpoolView(spool.Path).TaskFileCount);
        int ranCorrupted = worker.Ran.Count(t => !FaultTask.IsWhole(t.Packet));
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: {decodable} still decoded ({ranCorrupted} of them with a changed checksum or value), {Files - decodable} quarantined");
        FaultSummary.Add(new FaultRow("4b random bit flips", Files, 0, summary.Succeeded, 0, 0, summary.Quarantined,
            $"{ranCorrupted} flips inside a value decode and ran: the format has no checksum"));
    }

    [Fact]
    public async Task A_header_announcing_more_than_the_file_holds_is_quarantined_with_the_offset()
    {
        using var spool = new TempSpool("fault-oversize-header");
        byte[] bytes = [17, 0xe8, 0x03, 0, 1, 0, (byte)'k', 1, 0, (byte)'v']; // 1000-byte area announced, 6 present
        string path = spool.Combine("uwsgi_spoolfile_on_liar_1_1_1_1_1");
        WriteOld(path, bytes);

        var summary = await new InProcessWorker(spool.Path).RunOnceAsync();

        Assert.Equal(1, summary.Quarantined);
        using var note = JsonDocument.Parse(File.ReadAllBytes(spool.Combine("quarantine", Path.GetFileName(path) + ".reason.json")));
        Assert.Contains("1000-byte", note.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, note.RootElement.GetProperty("offset").GetInt64());
        Assert.Equal(bytes, File.ReadAllBytes(spool.Combine("quarantine", Path.GetFileName(path))));
        FaultSummary.Add(new FaultRow("4c declared size > file", 1, 0, 0, 0, 0, 1, "quarantined, bytes kept"));
    }

    [Fact]
    public async Task A_two_GiB_sparse_file_is_quarantined_without_being_read()
    {
        using var spool = new TempSpool("fault-sparse");
        string path = spool.Combine("uwsgi_spoolfile_on_huge_1_1_1_1_1");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(SpoolPacketCodec.EncodeFile(SpoolPacket.FromText([new("id", "huge")])));
            stream.SetLength(2L << 30); // a hole: no disk used, but a naive reader allocates 2 GiB
        }
        File.SetLastWriteTimeUtc(path, s_old.UtcDateTime);
        string control = new Spooler(spool.Path).Enqueue(FaultTask.Create("control", 10, new Random(1))).Path;

        var worker = new InProcessWorker(spool.Path);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var summary = await worker.RunOnceAsync();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        Assert.Equal(1, summary.Quarantined);
        Assert.Equal(1, summary.Succeeded);
        Assert.Equal(control, Assert.Single(worker.Ran).FilePath);
        Assert.True(File.Exists(spool.Combine("quarantine", Path.GetFileName(path))));
        Assert.True(allocated < 16 << 20, $"the pass allocated {allocated} bytes");
        FaultSummary.Add(new FaultRow("4d 2 GiB sparse file", 1, 1, 1, 0, 0, 1, $"quarantined unread; {allocated / 1024} KiB allocated"));
    }

    [Fact]
    public async Task Empty_files_wait_out_the_write_window_then_go_to_quarantine()
    {
        using var spool = new TempSpool("fault-empty");
        string old = spool.Combine("uwsgi_spoolfile_on_empty_old_1_1_1_1");
        string young = spool.Combine("uwsgi_spoolfile_on_empty_young_1_1_1_1");
        WriteOld(old, []);
        File.WriteAllBytes(young, []);
        string control = new Spooler(spool.Path).Enqueue(FaultTask.Create("control", 10, new Random(1))).Path;

        var summary = await new InProcessWorker(spool.Path).RunOnceAsync();

        Assert.Equal(1, summary.Quarantined);
        Assert.Equal(1, summary.Succeeded);
        Assert.False(File.Exists(control));
        Assert.True(File.Exists(spool.Combine("quarantine", Path.GetFileName(old))));
        Assert.True(File.Exists(young), "a young empty file may be a uWSGI producer between create and write: it must be left alone");
        FaultSummary.Add(new FaultRow("4e empty files", 2, 1, 1, 0, 0, 1, "old one quarantined, young one left (IncompleteFileGrace)"));
    }

    [Fact]
    public async Task Directories_fifos_and_symlinks_with_the_task_prefix_are_skipped_and_symlinks_never_followed()
    {
        using var spool = new TempSpool("fault-special");
        using var outside = new TempSpool("fault-special-outside");
        string target = outside.Combine("valuable");
        File.WriteAllBytes(target, SpoolPacketCodec.EncodeFile(FaultTask.Create("outside", 10, new Random(2))));
        File.SetLastWriteTimeUtc(target, s_old.UtcDateTime);

        string directory = spool.Combine("uwsgi_spoolfile_on_dir_1_1_1_1_1");
        Directory.CreateDirectory(directory);
        string fifo = spool.Combine("uwsgi_spoolfile_on_fifo_1_1_1_1_1");
        var (code, output) = await Command.RunAsync(Command.Find("mkfifo") ?? "mkfifo", fifo);
        Assert.True(code == 0, output);
        string link = spool.Combine("uwsgi_spoolfile_on_link_1_1_1_1_1");
        File.CreateSymbolicLink(link, target);
        string control = new Spooler(spool.Path).Enqueue(FaultTask.Create("control", 10, new Random(1))).Path;

        var worker = new InProcessWorker(spool.Path);
        var run = worker.RunOnceAsync();
        // A FIFO opened for reading without a writer would block forever: the pass must end on its own.
        Assert.True(await Task.WhenAny(run, Task.Delay(10_000, TestContext.Current.CancellationToken)) == run, "the pass hung on a special file");
        var summary = await run;

        Assert.Equal(control, Assert.Single(worker.Ran).FilePath);
        Assert.Equal(0, summary.Quarantined);
        Assert.True(Directory.Exists(directory));
        Assert.True(File.Exists(fifo));
        Assert.True(File.ResolveLinkTarget(link, false) is not null);
        Assert.True(File.Exists(target), "the symlink's target outside the spool must be untouched");
        FaultSummary.Add(new FaultRow("4f dir / FIFO / symlink with task prefix", 3, 1, 1, 0, 0, 0, "skipped every scan, as uWSGI's lstat check"));
    }

    [Fact]
    public async Task A_hard_linked_task_runs_once_per_spool_name_and_the_other_link_is_untouched()
    {
        using var spool = new TempSpool("fault-hardlink");
        using var outside = new TempSpool("fault-hardlink-outside");
        var task = new Spooler(spool.Path).Enqueue(FaultTask.Create("linked", 100, new Random(3)));
        string keep = outside.Combine("kept-copy");
        // Same file system (both under the temp folder): a real second name for the same inode.
        var (code, output) = await Command.RunAsync(Command.Find("ln") ?? "ln", task.Path, keep);
        Assert.True(code == 0, output);

        var worker = new InProcessWorker(spool.Path);
        var summary = await worker.RunOnceAsync();

        Assert.Equal(1, summary.Succeeded);
        Assert.False(File.Exists(task.Path));
        Assert.Equal("linked", FaultTask.ReadValidId(keep));
        FaultSummary.Add(new FaultRow("4g hard link", 1, 1, 1, 0, 0, 0, "spool name ran once; link outside kept intact"));
    }

    [Fact]
    public async Task A_file_of_another_owner_with_mode_000_runs_as_root_would_under_uwsgi()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("chown to another user needs root");
        }
        using var spool = new TempSpool("fault-owner");
        var task = new Spooler(spool.Path).Enqueue(FaultTask.Create("foreign", 100, new Random(4)));
        var (code, output) = await Command.RunAsync(Command.Find("chown") ?? "chown", "65534:65534", task.Path);
        Assert.True(code == 0, output);
        File.SetUnixFileMode(task.Path, UnixFileMode.None);

        var worker = new InProcessWorker(spool.Path);
        var summary = await worker.RunOnceAsync();

        // Root passes access(2) whatever the mode, so uWSGI as root runs it too; the spool directory's own mode is the guard.
        Assert.Equal(1, summary.Succeeded);
        Assert.True(FaultTask.IsWhole(Assert.Single(worker.Ran).Packet));
        FaultSummary.Add(new FaultRow("4h other owner, mode 000 (as root)", 1, 1, 1, 0, 0, 0, "runs, as uWSGI as root"));
    }

    private static void WriteOld(string path, ReadOnlySpan<byte> bytes)
    {
        File.WriteAllBytes(path, bytes);
        // Older than IncompleteFileGrace, so short files are judged, not waited for.
        File.SetLastWriteTimeUtc(path, s_old.UtcDateTime);
    }
}
