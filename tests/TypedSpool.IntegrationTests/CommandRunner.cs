using System.Diagnostics;
using System.Text;

namespace TypedSpool.IntegrationTests;

/// <summary>The outcome of a finished command: exit code, stdout and stderr interleaved as they arrived, duration.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"$ {CommandLine}\n(exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>
/// Runs a command to completion with a time limit (the process tree is killed when it runs out). <see cref="DotnetAsync"/>
/// runs the .NET CLI as a developer would, but without anything inherited from the <c>dotnet test</c> that started the
/// tests (MSBuild variables) and without build servers or reusable nodes, which would outlive the test and hold its pipes.
/// </summary>
internal static class CommandRunner
{
    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null) info.Environment.Remove(key);
                else info.Environment[key] = value;
            }
        }
        string commandLine = string.Join(' ', new[] { fileName }.Concat(info.ArgumentList));

        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
        }
        string Output() { lock (output) return output.ToString(); }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{commandLine} did not finish within {timeout.TotalSeconds:F0} s (killed).\n{Output()}");
        }
        // Bounded: a grandchild that inherited the pipes must not hang the test.
        process.WaitForExit(10_000);
        return new CommandResult(commandLine, process.ExitCode, Output(), watch.Elapsed);
    }

    /// <summary>Runs <c>dotnet</c> with a clean build environment plus <paramref name="environment"/>.</summary>
    public static Task<CommandResult> DotnetAsync(IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string key in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_HOST_PATH", StringComparison.Ordinal))
            {
                env[key] = null;
            }
        }
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        env["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["UseSharedCompilation"] = "false"; // an MSBuild property from the environment: no VBCSCompiler server left behind
        if (environment is not null)
        {
            foreach (var (key, value) in environment) env[key] = value;
        }
        return RunAsync("dotnet", arguments, workingDirectory, timeout, env, cancellationToken);
    }

    /// <summary>Lines of <paramref name="output"/> that are compiler, linker or packaging warnings (NU1603 excepted, as in the build).</summary>
    public static IReadOnlyList<string> Warnings(string output)
        => [.. output.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal) && !l.Contains("NU1603", StringComparison.Ordinal)).Select(l => l.TrimEnd()).Distinct()];
}

/// <summary>
/// Tests that run the .NET SDK (pack, restore, build, NativeAOT publish). They run alone, after the parallel tests
/// of this assembly, so that their CPU load neither slows timing-sensitive tests nor skews the startup time measured.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DotnetBuildCollection
{
    public const string Name = "dotnet builds";
}
