using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>The <c>typedspool</c> tool run as a real process: <c>show</c> on real uWSGI files, <c>send</c> round trips, error paths.</summary>
public sealed class CliTests
{
    private const string Cli = "TypedSpool.Cli";
    private const string MissingFixtures = "(fixtures missing)";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> UwsgiFixtureFiles()
    {
        var data = new TheoryData<string>();
        if (!Directory.Exists(Fixtures.UwsgiCases))
        {
            data.Add(MissingFixtures);
            return data;
        }
        foreach (var (_, file, _) in Fixtures.UwsgiFiles())
        {
            data.Add(Path.GetRelativePath(Fixtures.UwsgiCases, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(UwsgiFixtureFiles))]
    public async Task Show_json_of_a_uwsgi_file_matches_its_sidecar(string relativePath)
    {
        if (relativePath == MissingFixtures)
        {
            Assert.Skip($"the uWSGI fixtures are not at {Fixtures.UwsgiCases}");
        }
        string file = Path.Combine(Fixtures.UwsgiCases, relativePath);
        using var sidecar = JsonDocument.Parse(await File.ReadAllBytesAsync(file + ".json", Token));
        var expected = sidecar.RootElement;
        byte[] bytes = await File.ReadAllBytesAsync(file, Token);
        Assert.True(expected.GetProperty("file_sha256").GetString() == Sha256(bytes), $"fixture {relativePath} does not match its sidecar's file_sha256");

        var (code, stdout, stderr) = await ChildProcess.RunDotnetAsync(Cli, ["show", file, "--json"]);
        Assert.True(code == 0, $"show exited {code}: {stderr}");
        Assert.Equal("", stderr);
        using var shown = JsonDocument.Parse(stdout);
        var actual = shown.RootElement;

        Assert.Equal(file, actual.GetProperty("path").GetString());
        Assert.Equal(expected.GetProperty("file_size").GetInt64(), actual.GetProperty("file_size").GetInt64());
        // The copy on disk keeps neither uWSGI's mode (0600) nor its mtime (see the fixtures README): show reports the file as it is.
        Assert.Equal("0o" + Convert.ToString((int)File.GetUnixFileMode(file), 8), actual.GetProperty("file_mode").GetString());
        Assert.Equal(new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeSeconds(), actual.GetProperty("mtime").GetInt64());

        var header = expected.GetProperty("header");
        var shownHeader = actual.GetProperty("header");
        foreach (var field in new[] { "modifier1", "pktsize", "modifier2" })
        {
            Assert.True(header.GetProperty(field).GetInt32() == shownHeader.GetProperty(field).GetInt32(), $"header.{field}");
        }
        Assert.Equal(header.GetProperty("hex").GetString(), shownHeader.GetProperty("hex").GetString());

        var vars = expected.GetProperty("vars").EnumerateArray().ToList();
        var shownVars = actual.GetProperty("vars").EnumerateArray().ToList();
        Assert.Equal(vars.Count, shownVars.Count);
        for (int i = 0; i < vars.Count; i++)
        {
            CompareBytes(vars[i].GetProperty("key"), shownVars[i].GetProperty("key"), $"vars[{i}].key");
            CompareBytes(vars[i].GetProperty("value"), shownVars[i].GetProperty("value"), $"vars[{i}].value");
        }

        var body = expected.GetProperty("body");
        var shownBody = actual.GetProperty("body");
        if (body.ValueKind == JsonValueKind.Null)
        {
            Assert.Equal(JsonValueKind.Null, shownBody.ValueKind);
        }
        else
        {
            Assert.Equal(body.GetProperty("len").GetInt64(), shownBody.GetProperty("len").GetInt64());
            string shownSha = shownBody.GetProperty("sha256").GetString()!;
            string expectedSha = body.TryGetProperty("sha256", out var sha) ? sha.GetString()!
                : body.TryGetProperty("text", out var text) ? Sha256(Encoding.UTF8.GetBytes(text.GetString()!))
                : Sha256(Convert.FromBase64String(body.GetProperty("b64").GetString()!));
            Assert.Equal(expectedSha, shownSha);
        }
    }

    [Fact]
    public async Task Send_then_show_round_trips_pairs_priority_at_and_a_binary_body()
    {
        using var spool = new TempSpool("cli-send");
        using var inputs = new TempSpool("cli-inputs");
        byte[] body = new byte[5000];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = (byte)((i * 7) ^ (i >> 8)); // every byte value, NUL and 0xFF included
        }
        string bodyFile = inputs.Combine("body.bin");
        await File.WriteAllBytesAsync(bodyFile, body, Token);
        const long At = 4102444800; // 2100-01-01T00:00:00Z

        var (code, stdout, stderr) = await ChildProcess.RunDotnetAsync(Cli,
            ["send", "--spool", spool.Path, "--priority", "5", "--at", "4102444800", "--body-file", bodyFile, "task=report", "city=Zürich", "empty="]);
        Assert.True(code == 0, $"send exited {code}: {stderr}");
        Assert.Equal("", stderr);
        string path = stdout.Trim();
        Assert.Equal(spool.Combine("5"), Path.GetDirectoryName(path));
        Assert.True(SpoolFileName.TryParse(Path.GetFileName(path), out _), $"not a uWSGI spool file name: {path}");
        Assert.Equal([path], spool.TaskFiles("5"));
        Assert.Empty(spool.TaskFiles());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(At).UtcDateTime, File.GetLastWriteTimeUtc(path));

        using var shown = await ShowJsonAsync(path);
        var root = shown.RootElement;
        Assert.Equal("0o600", root.GetProperty("file_mode").GetString());
        Assert.Equal(At, root.GetProperty("mtime").GetInt64());
        Assert.Equal(17, root.GetProperty("header").GetProperty("modifier1").GetInt32());
        Assert.Equal(0, root.GetProperty("header").GetProperty("modifier2").GetInt32());
        var pairs = TextPairs(root);
        Assert.Equal([("task", "report"), ("city", "Zürich"), ("empty", "")], pairs.Take(3));
        Assert.Equal([("priority", "5")], pairs.Where(p => p.Key == "priority"));
        Assert.Equal([("at", "4102444800")], pairs.Where(p => p.Key == "at"));
        Assert.Equal(5, pairs.Count);
        Assert.Equal(body.Length, root.GetProperty("body").GetProperty("len").GetInt32());
        Assert.Equal(Sha256(body), root.GetProperty("body").GetProperty("sha256").GetString());

        // Byte for byte: the body follows the packet unchanged.
        var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(path, Token));
        Assert.Equal(body, packet.Body.ToArray());
    }

    [Theory]
    [InlineData("2031-02-03T04:05:06Z")]
    [InlineData("2031-02-03T05:05:06+01:00")]
    [InlineData("2031-02-03T04:05:06")] // no offset: UTC, so the result does not depend on the machine's time zone
    public async Task Send_accepts_an_iso_date_for_at(string at)
    {
        using var spool = new TempSpool("cli-send-iso");
        long expected = new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero).ToUnixTimeSeconds();
        var (code, stdout, stderr) = await ChildProcess.RunDotnetAsync(Cli, ["send", "--spool", spool.Path, "--at", at, "kind=iso"]);
        Assert.True(code == 0, $"send exited {code}: {stderr}");
        string path = stdout.Trim();
        Assert.Equal([path], spool.TaskFiles());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expected).UtcDateTime, File.GetLastWriteTimeUtc(path));

        using var shown = await ShowJsonAsync(path);
        Assert.Equal(expected, shown.RootElement.GetProperty("mtime").GetInt64());
        Assert.Equal(JsonValueKind.Null, shown.RootElement.GetProperty("body").ValueKind);
        Assert.Equal([("kind", "iso"), ("at", expected.ToString(System.Globalization.CultureInfo.InvariantCulture))], TextPairs(shown.RootElement));
    }

    [Theory]
    [InlineData("pair-without-equals")]
    [InlineData("empty-key")]
    [InlineData("priority-path-traversal")]
    [InlineData("priority-not-a-number")]
    [InlineData("value-over-65535-bytes")]
    [InlineData("bad-at")]
    [InlineData("missing-body-file")]
    [InlineData("show-missing-file")]
    [InlineData("show-area-overruns-file")]
    [InlineData("show-zero-key-length")]
    public async Task Errors_exit_with_a_code_and_one_line_and_write_nothing(string scenario)
    {
        using var root = new TempSpool("cli-errors");
        string spool = root.Combine("spool");
        Directory.CreateDirectory(spool);
        string corrupt = Path.Combine(spool, "uwsgi_spoolfile_on_host_1_1_1_1700000000_1");

        (string[] Args, int ExitCode, string[] Mentions) expectation = scenario switch
        {
            "pair-without-equals" => (["send", "--spool", spool, "novalue"], 1, ["'novalue'", "key=value"]),
            "empty-key" => (["send", "--spool", spool, "=x"], 1, ["'=x'", "key"]),
            "priority-path-traversal" => (["send", "--spool", spool, "a=b", "priority=../x"], 1, ["priority", "'../x'"]),
            "priority-not-a-number" => (["send", "--spool", spool, "a=b", "priority=high"], 1, ["priority", "'high'"]),
            "value-over-65535-bytes" => (["send", "--spool", spool, "big=" + new string('v', 70000)], 1, ["'big'", "70000", "65535"]),
            "bad-at" => (["send", "--spool", spool, "--at", "tomorrow", "a=b"], 1, ["--at", "'tomorrow'"]),
            "missing-body-file" => (["send", "--spool", spool, "--body-file", root.Combine("nope.bin"), "a=b"], 2, [root.Combine("nope.bin")]),
            "show-missing-file" => (["show", "--json", Path.Combine(spool, "nope")], 2, [Path.Combine(spool, "nope")]),
            "show-area-overruns-file" => (["show", "--json", corrupt], 3, [corrupt, nameof(SpoolFormatError.AreaOverrunsFile), "offset 1"]),
            "show-zero-key-length" => (["show", corrupt], 3, [corrupt, nameof(SpoolFormatError.ZeroKeyLength), "offset 4"]),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "unknown scenario"),
        };
        if (scenario == "show-area-overruns-file")
        {
            await File.WriteAllBytesAsync(corrupt, [0x11, 100, 0, 0, 1, 0, (byte)'k', 1, 0, (byte)'v'], Token);
        }
        else if (scenario == "show-zero-key-length")
        {
            await File.WriteAllBytesAsync(corrupt, [0x11, 5, 0, 0, 0, 0, 1, 0, (byte)'v'], Token);
        }
        var before = Snapshot(root.Path);

        var (code, stdout, stderr) = await ChildProcess.RunDotnetAsync(Cli, expectation.Args);

        Assert.True(code == expectation.ExitCode, $"expected exit {expectation.ExitCode}, got {code}; stderr:\n{stderr}");
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"stderr must be exactly one line, got {lines.Length}:\n{Abbreviate(stderr)}");
        Assert.StartsWith("typedspool: ", lines[0], StringComparison.Ordinal);
        foreach (var mention in expectation.Mentions)
        {
            Assert.True(lines[0].Contains(mention, StringComparison.Ordinal), $"the message should mention {mention}: {Abbreviate(lines[0])}");
        }
        Assert.Equal(before, Snapshot(root.Path));
    }

    private static async Task<JsonDocument> ShowJsonAsync(string path)
    {
        var (code, stdout, stderr) = await ChildProcess.RunDotnetAsync(Cli, ["show", path, "--json"]);
        Assert.True(code == 0, $"show exited {code}: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    /// <summary>The vars of <c>show --json</c> as text pairs (fails on a base64 one).</summary>
    private static List<(string Key, string Value)> TextPairs(JsonElement root)
        => [.. root.GetProperty("vars").EnumerateArray().Select(v =>
            (v.GetProperty("key").GetProperty("text").GetString()!, v.GetProperty("value").GetProperty("text").GetString()!))];

    /// <summary>
    /// Compares one key or value of <c>show --json</c> with the sidecar's: the length always; text or base64 where the
    /// sidecar has them; sha256 and prefix where the sidecar abbreviates (values over 1 KiB).
    /// </summary>
    private static void CompareBytes(JsonElement expected, JsonElement actual, string what)
    {
        long length = expected.GetProperty("len").GetInt64();
        Assert.True(length == actual.GetProperty("len").GetInt64(), $"{what}.len: sidecar {length}, show {actual.GetProperty("len")}");
        byte[] shownBytes = actual.TryGetProperty("text", out var shownText)
            ? Encoding.UTF8.GetBytes(shownText.GetString()!)
            : Convert.FromBase64String(actual.GetProperty("b64").GetString()!);
        Assert.True(shownBytes.Length == length, $"{what}: show's text/b64 holds {shownBytes.Length} bytes, len says {length}");

        if (expected.TryGetProperty("text", out var text))
        {
            Assert.True(actual.TryGetProperty("text", out _), $"{what}: the sidecar has text, show has base64");
            Assert.True(text.GetString() == shownText.GetString(), $"{what}.text: sidecar '{text}', show '{shownText}'");
        }
        if (expected.TryGetProperty("b64", out var b64))
        {
            Assert.True(actual.TryGetProperty("b64", out var shownB64), $"{what}: the sidecar has base64, show has text");
            Assert.True(b64.GetString() == shownB64.GetString(), $"{what}.b64: sidecar '{b64}', show '{shownB64}'");
        }
        if (expected.TryGetProperty("sha256", out var sha))
        {
            Assert.True(sha.GetString() == Sha256(shownBytes), $"{what}.sha256 differs");
        }
        if (expected.TryGetProperty("text_prefix", out var textPrefix))
        {
            Assert.True(shownBytes.AsSpan().StartsWith(Encoding.UTF8.GetBytes(textPrefix.GetString()!)), $"{what}: text_prefix differs");
        }
        if (expected.TryGetProperty("b64_prefix", out var b64Prefix))
        {
            Assert.True(shownBytes.AsSpan().StartsWith(Convert.FromBase64String(b64Prefix.GetString()!)), $"{what}: b64_prefix differs");
        }
    }

    /// <summary>Every entry below <paramref name="directory"/> with its kind, size and mtime, temporary files included.</summary>
    private static List<string> Snapshot(string directory)
        => [.. new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => e is FileInfo f
                ? $"file {Path.GetRelativePath(directory, f.FullName)} {f.Length} {f.LastWriteTimeUtc.Ticks}"
                : $"dir  {Path.GetRelativePath(directory, e.FullName)}")
            .Order(StringComparer.Ordinal)];

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Abbreviate(string text) => text.Length > 400 ? text[..400] + $"… ({text.Length} chars)" : text;
}
