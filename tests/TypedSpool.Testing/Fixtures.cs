namespace TypedSpool.Testing;

/// <summary>Finds the real-uWSGI fixtures: <c>../shared/fixtures/uwsgi</c> beside the checkout (as CI has it).</summary>
public static class Fixtures
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string UwsgiDirectory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "uwsgi"));

    public static string UwsgiCases => Path.Combine(UwsgiDirectory, "cases");

    /// <summary>Every fixture spool file (recursively), paired with its JSON sidecar.</summary>
    public static IEnumerable<(string Case, string File, string Sidecar)> UwsgiFiles()
    {
        foreach (var sidecar in Directory.GetFiles(UwsgiCases, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string file = sidecar[..^".json".Length];
            string caseName = Path.GetRelativePath(UwsgiCases, sidecar).Split(Path.DirectorySeparatorChar)[0];
            yield return (caseName, file, sidecar);
        }
    }

    private static string FindRepositoryRoot()
    {
        // Walk up from the test binaries (not [CallerFilePath], which deterministic builds rewrite).
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TypedSpool.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException($"TypedSpool.sln not found above {AppContext.BaseDirectory}");
    }
}
