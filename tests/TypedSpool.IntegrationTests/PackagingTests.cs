using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// The packages, proven rather than assumed: <c>dotnet pack</c> of TypedSpool and TypedSpool.Hosting from a clean copy of
/// the sources into a folder feed, then a fresh project that knows nothing of this repository restores them (into its
/// own packages folder, with nuget.org for everything else), gets the [Spool] generator from the TypedSpool package,
/// and runs a task end to end on a real Generic Host and a real spool directory.
/// </summary>
[Collection(DotnetBuildCollection.Name)]
[Trait("Category", "Packaging")]
public sealed class PackagingTests
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(4);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Packed_packages_restore_into_a_fresh_project_whose_generated_task_runs_end_to_end()
    {
        using var work = new TempSpool("packaging");
        // Numeric pre-release identifiers must not start with 0; milliseconds since 1970 never do.
        string version = $"1.0.0-test.{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        string source = work.Combine("source");
        string feed = work.Combine("feed");
        string packages = work.Combine("packages");
        string consumer = work.Combine("consumer");
        var watch = Stopwatch.StartNew();

        // 1. Pack from a clean copy: no bin/ or obj/ left by earlier builds can leak into the packages.
        CopySources(Fixtures.RepositoryRoot, source);
        foreach (string project in new[] { "src/TypedSpool/TypedSpool.csproj", "src/TypedSpool.Hosting/TypedSpool.Hosting.csproj" })
        {
            var pack = await CommandRunner.DotnetAsync(["pack", project, "-c", "Release", $"-p:Version={version}", "-o", feed, "-nodeReuse:false"],
                source, s_buildTimeout, cancellationToken: Token);
            Assert.True(pack.ExitCode == 0, pack.ToString());
            Assert.True(CommandRunner.Warnings(pack.Output).Count == 0, "pack must be warning-free:\n" + pack);
        }

        // 2. What is inside.
        string runtimePackage = Path.Combine(feed, $"TypedSpool.{version}.nupkg");
        string hostingPackage = Path.Combine(feed, $"TypedSpool.Hosting.{version}.nupkg");
        using (var zip = ZipFile.OpenRead(runtimePackage))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("lib/net8.0/TypedSpool.dll", entries);
            Assert.Contains("lib/net10.0/TypedSpool.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/TypedSpool.Generators.dll", entries);
            // Only the generator: Roslyn comes with the compiler, and the generator never references the runtime.
            Assert.Equal(["analyzers/dotnet/cs/TypedSpool.Generators.dll"], entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));
            var generatorReferences = AssemblyReferences(zip.GetEntry("analyzers/dotnet/cs/TypedSpool.Generators.dll")!);
            Assert.Contains("netstandard", generatorReferences.Keys);
            Assert.DoesNotContain("TypedSpool", generatorReferences.Keys);
            // Built on Roslyn 4.8 (.NET 8 SDK) so that every compiler since can load it (a newer one fails with CS9057).
            Assert.True(generatorReferences.TryGetValue("Microsoft.CodeAnalysis", out var roslyn) && roslyn <= new Version(4, 8, 0, 0),
                $"the generator references Microsoft.CodeAnalysis {roslyn}; it must be 4.8 or older");
            var nuspec = Nuspec(zip);
            Assert.Equal("TypedSpool", nuspec.Id);
            Assert.False(string.IsNullOrWhiteSpace(nuspec.Description));
            Assert.DoesNotContain(nuspec.Dependencies, d => d.Id.StartsWith("TypedSpool", StringComparison.Ordinal)); // the generator is inside, not a dependency
        }
        using (var zip = ZipFile.OpenRead(hostingPackage))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("lib/net8.0/TypedSpool.Hosting.dll", entries);
            Assert.Contains("lib/net10.0/TypedSpool.Hosting.dll", entries);
            var nuspec = Nuspec(zip);
            Assert.Equal("TypedSpool.Hosting", nuspec.Id);
            Assert.False(string.IsNullOrWhiteSpace(nuspec.Description));
            Assert.Equal(["net10.0", "net8.0"], nuspec.Dependencies.Select(d => d.Framework).Distinct().Order(StringComparer.Ordinal));
            Assert.All(nuspec.Dependencies.GroupBy(d => d.Framework), group =>
                Assert.Contains(group, d => d.Id == "TypedSpool" && d.Version == version));
        }

        // 3. A fresh project: its own nuget.config (the feed, then nuget.org), its own packages folder, nothing of ours above it.
        WriteConsumer(consumer, feed, packages, version);
        var isolated = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages };
        var build = await CommandRunner.DotnetAsync(["build", "-c", "Release", "-nodeReuse:false"], consumer, s_buildTimeout, isolated, Token);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(CommandRunner.Warnings(build.Output).Count == 0, "the consumer must build warning-free:\n" + build);

        // The generator that ran is the packaged one, restored into the isolated folder, for both target frameworks.
        string restored = Path.Combine(packages, "typedspool", version);
        Assert.True(File.Exists(Path.Combine(restored, "analyzers", "dotnet", "cs", "TypedSpool.Generators.dll")), $"TypedSpool {version} was not restored into {packages}");
        Assert.True(Directory.Exists(Path.Combine(packages, "typedspool.hosting", version)), $"TypedSpool.Hosting {version} was not restored into {packages}");
        foreach (string framework in new[] { "net8.0", "net10.0" })
        {
            string generated = Path.Combine(consumer, "obj", "Release", framework, "generated", "TypedSpool.Generators", "TypedSpool.Generators.SpoolGenerator");
            Assert.True(File.Exists(Path.Combine(generated, "Consumer.PackagedTasks.WriteMarker.Spool.g.cs")), $"no generated stub for {framework} in {generated}");
            Assert.True(File.Exists(Path.Combine(generated, "TypedSpool.Dispatch.g.cs")), $"no generated dispatch table for {framework} in {generated}");
        }
        string output = Path.Combine(consumer, "bin", "Release", "net10.0");
        Assert.StartsWith(version, FileVersionInfo.GetVersionInfo(Path.Combine(output, "TypedSpool.dll")).ProductVersion, StringComparison.Ordinal);
        Assert.StartsWith(version, FileVersionInfo.GetVersionInfo(Path.Combine(output, "TypedSpool.Hosting.dll")).ProductVersion, StringComparison.Ordinal);

        // 4. Run it: a real host, a real spool; the task, enqueued through the generated stub, writes the marker.
        string spool = work.Combine("spool");
        string marker = work.Combine("marker.txt");
        var run = await CommandRunner.DotnetAsync(
            [Path.Combine(output, "Consumer.dll"), $"--TypedSpool:Spoolers:default:Directory={spool}", "--marker", marker],
            consumer, TimeSpan.FromSeconds(60), isolated, Token);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(marker), "the task did not write its marker:\n" + run);
        Assert.Equal("ran from the package: WriteMarker, attempt 1", await File.ReadAllTextAsync(marker, Token));
        Assert.Empty(Directory.GetFiles(spool, "uwsgi_spoolfile_on_*", SearchOption.AllDirectories));

        TestContext.Current.SendDiagnosticMessage($"packaging: pack, restore, build and run of TypedSpool {version} took {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Copies what building the packages needs (top-level files, src/, generators/) without build output.</summary>
    private static void CopySources(string repository, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(repository))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
        foreach (string folder in new[] { "src", "generators" })
        {
            CopyTree(Path.Combine(repository, folder), Path.Combine(destination, folder));
        }

        static void CopyTree(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (string file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
            foreach (string directory in Directory.GetDirectories(from))
            {
                string name = Path.GetFileName(directory);
                if (name is "bin" or "obj" or "TestResults" || name.StartsWith('.'))
                {
                    continue;
                }
                CopyTree(directory, Path.Combine(to, name));
            }
        }
    }

    private static void WriteConsumer(string directory, string feed, string packages, string version)
    {
        Directory.CreateDirectory(directory);
        // Empty Directory.* files stop MSBuild from looking further up for someone else's.
        foreach (string name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(directory, name), "<Project />\n");
        }
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="typedspool-test-feed" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
            </configuration>
            """);
        // Both target frameworks of the packages; net8.0 also compiles the generated code as C# 12.
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TypedSpool" Version="{version}" />
                <PackageReference Include="TypedSpool.Hosting" Version="{version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "PackagedTasks.cs"), """
            using TypedSpool;

            namespace Consumer;

            public static partial class PackagedTasks
            {
                [Spool]
                public static void WriteMarker(string path, string text, SpoolContext context)
                {
                    File.WriteAllText(path + ".tmp", $"{text}: {context.TaskName}, attempt {context.Attempt}");
                    File.Move(path + ".tmp", path); // the marker appears complete or not at all
                }
            }
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using Consumer;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using TypedSpool.Hosting;

            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddTypedSpool(builder.Configuration);
            using var host = builder.Build();
            await host.StartAsync();

            string marker = builder.Configuration["marker"] ?? throw new InvalidOperationException("--marker FILE is required");
            PackagedTasks.Spool.WriteMarker(marker, "ran from the package"); // the generated stub, into the default spool
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(marker))
            {
                if (DateTime.UtcNow > deadline)
                {
                    Console.Error.WriteLine("the task did not run within 30 s");
                    return 3;
                }
                await Task.Delay(50);
            }
            await host.StopAsync();
            return 0;
            """);
    }

    private static Dictionary<string, Version> AssemblyReferences(ZipArchiveEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(buffer);
        }
        buffer.Position = 0;
        using var pe = new PEReader(buffer);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(metadata.GetAssemblyReference)
            .ToDictionary(r => metadata.GetString(r.Name), r => r.Version, StringComparer.Ordinal);
    }

    private sealed record NuspecDependency(string Framework, string Id, string Version);

    private sealed record NuspecInfo(string Id, string Description, List<NuspecDependency> Dependencies);

    private static NuspecInfo Nuspec(ZipArchive zip)
    {
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = entry.Open();
        var document = XDocument.Load(stream);
        var ns = document.Root!.Name.Namespace;
        var metadata = document.Root.Element(ns + "metadata")!;
        var dependencies = metadata.Element(ns + "dependencies")?.Elements(ns + "group")
            .SelectMany(g => g.Elements(ns + "dependency").Select(d => new NuspecDependency(
                (string?)g.Attribute("targetFramework") ?? "", (string)d.Attribute("id")!, (string)d.Attribute("version")!)))
            .ToList() ?? [];
        return new NuspecInfo((string)metadata.Element(ns + "id")!, (string?)metadata.Element(ns + "description") ?? "", dependencies);
    }
}
