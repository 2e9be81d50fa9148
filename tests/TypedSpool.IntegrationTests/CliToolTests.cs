using System.Globalization;
using System.Text.Json;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// The typedspool tool as users get it: installed with <c>dotnet tool install</c> (command name <c>typedspool</c>), and
/// published as one NativeAOT executable with zero warnings. Both read a spool made of the real uWSGI fixtures.
/// </summary>
[Collection(DotnetBuildCollection.Name)]
[Trait("Category", "Packaging")]
public sealed class CliToolTests
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(8);
    private static string CliProject => Path.Combine(Fixtures.RepositoryRoot, "src", "TypedSpool.Cli", "TypedSpool.Cli.csproj");
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Installs_as_a_dotnet_tool_named_typedspool_that_reads_a_uwsgi_spool()
    {
        RequireFixtures();
        using var work = new TempSpool("tool-install");
        string version = "0.0.1-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture); // never in a package cache
        var pack = await CommandRunner.DotnetAsync(["pack", CliProject, "-c", "Release", $"-p:Version={version}", "--artifacts-path", work.Combine("artifacts"),
            "-o", work.Combine("feed"), "-nodeReuse:false"], Fixtures.RepositoryRoot, s_buildTimeout, cancellationToken: Token);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        Assert.True(CommandRunner.Warnings(pack.Output).Count == 0, "pack must be warning-free:\n" + pack);

        var install = await CommandRunner.DotnetAsync(["tool", "install", "--tool-path", work.Combine("tools"), "--add-source", work.Combine("feed"),
            "--version", version, "TypedSpool.Cli"], work.Path, s_buildTimeout, cancellationToken: Token);
        Assert.True(install.ExitCode == 0, install.ToString());
        string typedspool = work.Combine("tools", "typedspool");
        Assert.True(File.Exists(typedspool), $"no 'typedspool' command in the tool path:\n{install}");

        await AssertReadsUwsgiFixtures(typedspool, work.Combine("spool"));
    }

    [Fact]
    [Trait("Category", "NativeAot")]
    public async Task Publishes_with_NativeAOT_without_warnings_into_one_executable_that_reads_a_uwsgi_spool()
    {
        RequireFixtures();
        if (AotToolchain.Missing() is { } reason)
        {
            Assert.Skip(reason);
        }
        using var work = new TempSpool("tool-aot");
        var publish = await CommandRunner.DotnetAsync(["publish", CliProject, "-c", "Release", "-r", "linux-x64", "--artifacts-path", work.Combine("artifacts"),
            "-o", work.Combine("out"), "-nodeReuse:false"], Fixtures.RepositoryRoot, s_buildTimeout, cancellationToken: Token);
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.True(CommandRunner.Warnings(publish.Output).Count == 0, "the publish must be warning-free:\n" + publish);
        Assert.Contains("Generating native code", publish.Output, StringComparison.Ordinal);
        string binary = work.Combine("out", "TypedSpool.Cli");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(binary)[..4]);
        Assert.False(File.Exists(work.Combine("out", "TypedSpool.Cli.dll")), "a managed assembly was published: this is not a NativeAOT build");
        TestContext.Current.SendDiagnosticMessage($"typedspool NativeAOT executable: {new FileInfo(binary).Length / 1048576.0:F1} MiB");

        await AssertReadsUwsgiFixtures(binary, work.Combine("spool"));
    }

    private static void RequireFixtures()
    {
        if (!Directory.Exists(Fixtures.UwsgiCases))
        {
            Assert.Skip($"the uWSGI fixtures are not at {Fixtures.UwsgiCases}");
        }
    }

    /// <summary>
    /// One spool made of every fixture file written by real uWSGI (priority subdirectories and mtimes as uWSGI left
    /// them); ls and stats must see each file in the right priority and state, and the non-numeric priority directory
    /// not at all, as uWSGI's consumer does not.
    /// </summary>
    private static async Task AssertReadsUwsgiFixtures(string tool, string spool)
    {
        var expected = new Dictionary<string, (int? Priority, string State, long Size)>(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        foreach (var (caseName, file, sidecar) in Fixtures.UwsgiFiles())
        {
            string relative = Path.GetRelativePath(Path.Combine(Fixtures.UwsgiCases, caseName), file);
            string copy = Path.Combine(spool, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
            using var note = JsonDocument.Parse(await File.ReadAllTextAsync(sidecar, Token));
            var mtime = DateTimeOffset.FromUnixTimeSeconds(note.RootElement.GetProperty("mtime").GetInt64());
            File.SetLastWriteTimeUtc(copy, mtime.UtcDateTime);
            string? directory = Path.GetDirectoryName(relative);
            if (string.IsNullOrEmpty(directory) || directory.All(char.IsAsciiDigit))
            {
                int? priority = string.IsNullOrEmpty(directory) ? null : int.Parse(directory, CultureInfo.InvariantCulture);
                expected[Path.GetFileName(copy)] = (priority, mtime > now ? "Scheduled" : "Due", new FileInfo(copy).Length);
            }
        }
        Assert.True(expected.Count >= 20, $"only {expected.Count} fixture files");

        var ls = await CommandRunner.RunAsync(tool, ["ls", "--spool", spool, "--json"], spool, TimeSpan.FromSeconds(60), cancellationToken: Token);
        Assert.True(ls.ExitCode == 0, ls.ToString());
        using var listing = JsonDocument.Parse(ls.Output);
        var seen = listing.RootElement.EnumerateArray().ToDictionary(e => Path.GetFileName(e.GetProperty("path").GetString()!), e => e, StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (priority, state, size)) in expected)
        {
            var entry = seen[name];
            Assert.Equal(priority, entry.GetProperty("priority").ValueKind == JsonValueKind.Null ? null : entry.GetProperty("priority").GetInt32());
            Assert.Equal(state, entry.GetProperty("state").GetString());
            Assert.Equal(size, entry.GetProperty("size").GetInt64());
        }

        var stats = await CommandRunner.RunAsync(tool, ["stats", "--spool", spool, "--json"], spool, TimeSpan.FromSeconds(60), cancellationToken: Token);
        Assert.True(stats.ExitCode == 0, stats.ToString());
        using var totals = JsonDocument.Parse(stats.Output);
        Assert.Equal(expected.Count, totals.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(expected.Values.Sum(v => v.Size), totals.RootElement.GetProperty("bytes").GetInt64());
    }
}
