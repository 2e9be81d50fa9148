using System.IO.Enumeration;
using TypedSpool.Format;

namespace TypedSpool.Storage;

/// <summary>A task file found by a scan.</summary>
internal readonly record struct SpoolCandidate(string Path, int? Priority, DateTimeOffset ModifiedAt);

/// <summary>
/// Lists the task files of a spool directory as uWSGI's consumer sees them: names with the task prefix, regular
/// files only (symlinks and directories are skipped), and in ordered mode the all-digit priority directories
/// first, in version-sort order, then the top-level files.
/// </summary>
internal static class SpoolScanner
{
    private static readonly EnumerationOptions s_options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Lists due files in processing order; <paramref name="nextDue"/> is the earliest future mtime seen.</summary>
    public static List<SpoolCandidate> ListDue(string root, bool ordered, DateTimeOffset now, Func<string, bool> skip, out DateTimeOffset? nextDue)
    {
        var due = new List<SpoolCandidate>();
        DateTimeOffset? earliest = null;
        if (ordered)
        {
            foreach (var (directory, modifiedAt) in ListPriorityDirectories(root))
            {
                if (modifiedAt > now)
                {
                    // uWSGI skips a priority directory whose own mtime is in the future, with all it holds.
                    earliest = Min(earliest, modifiedAt);
                    continue;
                }
                int priority = int.Parse(Path.GetFileName(directory), System.Globalization.CultureInfo.InvariantCulture);
                AddFiles(directory, priority, sort: true);
            }
        }
        AddFiles(root, null, sort: ordered);
        nextDue = earliest;
        return due;

        void AddFiles(string directory, int? priority, bool sort)
        {
            var files = ListTaskFiles(directory);
            if (sort)
            {
                files.Sort(static (a, b) => VersionSortComparer.Instance.Compare(Path.GetFileName(a.Path), Path.GetFileName(b.Path)));
            }
            foreach (var (path, modifiedAt) in files)
            {
                if (modifiedAt > now)
                {
                    earliest = Min(earliest, modifiedAt);
                }
                else if (!skip(path))
                {
                    due.Add(new SpoolCandidate(path, priority, modifiedAt));
                }
            }
        }
    }

    /// <summary>Task files of one directory, unsorted (directory order, as uWSGI's unordered readdir).</summary>
    public static List<(string Path, DateTimeOffset ModifiedAt)> ListTaskFiles(string directory)
    {
        try
        {
            return [.. EnumerateTaskFiles(directory)];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Task files of one directory, read lazily (for listings of any size in bounded memory); empty when it does not exist.</summary>
    public static IEnumerable<(string Path, DateTimeOffset ModifiedAt)> EnumerateTaskFiles(string directory)
        => !Directory.Exists(directory)
            ? []
            : new FileSystemEnumerable<(string, DateTimeOffset)>(directory,
                static (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.LastWriteTimeUtc), s_options)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                    !entry.IsDirectory
                    && (entry.Attributes & FileAttributes.ReparsePoint) == 0
                    && SpoolFileName.HasTaskPrefix(entry.FileName),
            };

    /// <summary>All-digit subdirectories (not symlinks), in version-sort order.</summary>
    public static List<(string Path, DateTimeOffset ModifiedAt)> ListPriorityDirectories(string root)
    {
        List<(string Path, DateTimeOffset ModifiedAt)> directories;
        try
        {
            directories = [.. new FileSystemEnumerable<(string, DateTimeOffset)>(root,
                static (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.LastWriteTimeUtc), s_options)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                    entry.IsDirectory
                    && (entry.Attributes & FileAttributes.ReparsePoint) == 0
                    && entry.FileName.Length <= 9
                    && SpoolFileName.IsDigits(entry.FileName),
            }];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        directories.Sort(static (a, b) => VersionSortComparer.Instance.Compare(Path.GetFileName(a.Path), Path.GetFileName(b.Path)));
        return directories;
    }

    /// <summary>Removes temporary files a crashed producer left behind (their enqueue never returned, so no one is owed them).</summary>
    public static int RemoveStaleTemporaryFiles(string directory, DateTimeOffset olderThan)
    {
        int removed = 0;
        try
        {
            var stale = new FileSystemEnumerable<string>(directory, static (ref FileSystemEntry entry) => entry.ToFullPath(), s_options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                    !entry.IsDirectory
                    && entry.FileName.StartsWith(DurableFile.TemporaryPrefix, StringComparison.Ordinal)
                    && entry.LastWriteTimeUtc < olderThan,
            };
            foreach (var path in stale)
            {
                if (NativeFile.Unlink(path))
                {
                    removed++;
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        return removed;
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is null || b < a ? b : a;
}
