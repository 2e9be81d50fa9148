using System.Text;
using Microsoft.CodeAnalysis;

namespace TypedSpool.Generators.Tests;

/// <summary>
/// Snapshot tests of generated code without Verify: each generated file is compared byte for byte with
/// <c>Snapshots/{Class}.{Test}#{hint}.verified.cs</c> (the hint name without its <c>.cs</c>, as Verify names them).
/// A difference or a missing snapshot writes <c>.received.cs</c> beside it and fails with the first differing lines;
/// <c>TYPEDSPOOL_ACCEPT_SNAPSHOTS=1</c> accepts what was generated instead.
/// </summary>
internal static class SnapshotVerifier
{
    public const string AcceptVariable = "TYPEDSPOOL_ACCEPT_SNAPSHOTS";
    private const string Verified = ".verified.cs";
    private const string Received = ".received.cs";

    private static readonly Lazy<string> s_directory = new(FindSnapshotDirectory);
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Tests/TypedSpool.Generators.Tests/Snapshots of the source tree the test assembly was built from.</summary>
    public static string SnapshotDirectory => s_directory.Value;

    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true";

    /// <summary>
    /// Runs the generator on <paramref name="source"/>, asserts that it reported exactly
    /// <paramref name="generatorDiagnostics"/> (IDs, in any order; none by default) and that the output compiles with
    /// no error and no warning, then verifies every generated file. Returns the run for further checks.
    /// </summary>
    public static GeneratorDriverRunResult Verify(string testClass, string testName, string source, params string[] generatorDiagnostics)
    {
        var (result, output) = GeneratorHarness.RunGenerator(source);
        var reported = result.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.True(reported.SequenceEqual(generatorDiagnostics.Order(StringComparer.Ordinal)),
            $"Generator diagnostics: expected [{string.Join(", ", generatorDiagnostics)}], got:\n{string.Join("\n", result.Diagnostics)}");
        var compiler = GeneratorHarness.CompilerDiagnostics(output);
        Assert.True(compiler.IsEmpty, "Compiling the generated output gave:\n" + string.Join("\n", compiler.Select(Describe)));

        VerifyFiles(SnapshotDirectory, testClass + "." + testName,
            [.. result.GeneratedTrees.Select(t => (Path.GetFileName(t.FilePath), t.GetText().ToString()))], Accepting);
        return result;
    }

    /// <summary>
    /// Compares <paramref name="files"/> (hint name, text) with the snapshots named <c>{prefix}#{hint}</c> in
    /// <paramref name="directory"/>. A snapshot of this prefix that was not generated any more fails too.
    /// </summary>
    public static void VerifyFiles(string directory, string prefix, IReadOnlyList<(string HintName, string Text)> files, bool accept)
    {
        Directory.CreateDirectory(directory);
        var problems = new List<string>();
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (hint, text) in files.OrderBy(f => f.HintName, StringComparer.Ordinal))
        {
            string stem = prefix + "#" + StripCs(hint);
            expectedNames.Add(stem + Verified);
            string verifiedPath = Path.Combine(directory, stem + Verified);
            string receivedPath = Path.Combine(directory, stem + Received);
            byte[] actual = s_utf8.GetBytes(text);

            if (accept)
            {
                if (!File.Exists(verifiedPath) || !File.ReadAllBytes(verifiedPath).AsSpan().SequenceEqual(actual))
                {
                    File.WriteAllBytes(verifiedPath, actual);
                }
                File.Delete(receivedPath);
                continue;
            }
            if (!File.Exists(verifiedPath))
            {
                File.WriteAllBytes(receivedPath, actual);
                problems.Add($"{stem}: no snapshot yet; review {receivedPath} and rename it to {stem}{Verified} (or run with {AcceptVariable}=1).");
                continue;
            }
            byte[] expected = File.ReadAllBytes(verifiedPath);
            if (expected.AsSpan().SequenceEqual(actual))
            {
                File.Delete(receivedPath);
                continue;
            }
            File.WriteAllBytes(receivedPath, actual);
            problems.Add($"{stem}: differs from the snapshot (received: {receivedPath})\n{Diff(expected, actual)}");
        }

        // Snapshots of this test for files that are no longer generated.
        foreach (var path in Directory.EnumerateFiles(directory, prefix + "#*" + Verified))
        {
            string name = Path.GetFileName(path);
            if (expectedNames.Contains(name)) continue;
            if (accept)
            {
                File.Delete(path);
            }
            else
            {
                problems.Add($"{name}: the snapshot exists but the file was not generated (delete it, or run with {AcceptVariable}=1).");
            }
        }
        if (accept)
        {
            foreach (var path in Directory.EnumerateFiles(directory, prefix + "#*" + Received)) File.Delete(path);
        }
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    /// <summary>The first differing line with a little context, both sides.</summary>
    public static string Diff(byte[] expected, byte[] actual)
    {
        string[] a = SplitLines(expected);
        string[] b = SplitLines(actual);
        int first = 0;
        while (first < a.Length && first < b.Length && a[first] == b[first]) first++;
        if (first == a.Length && first == b.Length)
        {
            return "  (same text, different bytes: line endings, encoding or a byte order mark)";
        }
        var text = new StringBuilder();
        text.Append("  first difference at line ").Append(first + 1).Append('\n');
        for (int i = Math.Max(0, first - 2); i < first; i++) text.Append("    ").Append(a[i]).Append('\n');
        for (int i = first; i < Math.Min(a.Length, first + 4); i++) text.Append("  - ").Append(a[i]).Append('\n');
        if (first >= a.Length) text.Append("  - (end of snapshot)\n");
        for (int i = first; i < Math.Min(b.Length, first + 4); i++) text.Append("  + ").Append(b[i]).Append('\n');
        if (first >= b.Length) text.Append("  + (end of generated file)\n");
        return text.ToString().TrimEnd('\n');
    }

    private static string[] SplitLines(byte[] bytes) => Encoding.UTF8.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Split('\n');

    private static string StripCs(string hintName) => hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        string line = diagnostic.Location.SourceTree?.GetText().Lines[span.StartLinePosition.Line].ToString().Trim() ?? "";
        return $"{diagnostic}\n    at: {line}";
    }

    private static string FindSnapshotDirectory()
    {
        // Not [CallerFilePath]: deterministic builds map it to /_/. The tests run from the source tree's bin/.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TypedSpool.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "TypedSpool.Generators.Tests", "Snapshots");
            }
        }
        throw new InvalidOperationException($"No TypedSpool.sln above {AppContext.BaseDirectory}: cannot find the snapshot folder.");
    }
}
