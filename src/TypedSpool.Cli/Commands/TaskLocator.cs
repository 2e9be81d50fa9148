using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Commands;

/// <summary>
/// Finds the file a command argument names: a path, or with <c>--spool DIR</c> a bare task file name looked up where a
/// spool keeps tasks (top level, priority directories, dead/, quarantine/, held/), so that names copied from
/// <c>typedspool ls</c> work as they are.
/// </summary>
internal static class TaskLocator
{
    public static string Resolve(string argument, string? spool)
    {
        bool isBareName = !argument.Contains('/', StringComparison.Ordinal);
        if (!isBareName || spool is null)
        {
            if (spool is null && isBareName && !File.Exists(argument))
            {
                throw new ArgumentException($"'{argument}' is not a file here; give its path, or the spool with --spool DIR.");
            }
            return Path.GetFullPath(argument);
        }
        string root = Path.GetFullPath(spool);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Spool directory '{root}' does not exist.");
        }
        foreach (string directory in Places(root))
        {
            string candidate = Path.Combine(directory, argument);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"No task file '{argument}' in '{root}' (looked in the spool, its priority directories, dead/, quarantine/ and held/).");
    }

    private static IEnumerable<string> Places(string root)
    {
        yield return root;
        foreach (string directory in Directory.EnumerateDirectories(root))
        {
            if (SpoolFileName.IsDigits(Path.GetFileName(directory)))
            {
                yield return directory;
            }
        }
        yield return Path.Combine(root, SpoolLayout.Dead);
        yield return Path.Combine(root, SpoolLayout.Quarantine);
        yield return Path.Combine(root, SpoolLayout.Held);
    }

    /// <summary>The spool a task file belongs to: the directory above dead/, quarantine/, held/ or a priority directory.</summary>
    public static string SpoolOf(string taskPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(taskPath))!;
        string name = Path.GetFileName(directory);
        return name is SpoolLayout.Dead or SpoolLayout.Quarantine or SpoolLayout.Held || SpoolFileName.IsDigits(name)
            ? Path.GetDirectoryName(directory)!
            : directory;
    }
}
