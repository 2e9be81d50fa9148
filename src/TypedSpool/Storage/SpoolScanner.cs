using System.IO.Enumeration;
using TypedSpool.Format;

namespace TypedSpool.Storage;

/// <summary>A task file found by a scan.</summary>
internal readonly record struct SpoolCandidate(string Path, int? Priority, DateTimeOffset ModifiedAt);

/// <summary>What a scan saw besides the due files it yielded: for the queue gauges and the next wake-up.</summary>
internal sealed class ScanTotals
{
    /// <summary>Due files seen (including ones skipped as ignored).</summary>
    public int Due { get; private set; }

    /// <summary>The oldest mtime among due files.</summary>
    public DateTimeOffset? OldestDue { get; private set; }

    /// <summary>The earliest future mtime seen (a file or a priority directory).</summary>
    public DateTimeOffset? NextDue { get; private set; }

    public void NoteDue(DateTimeOffset modifiedAt)
    {
        Due++;
        if (OldestDue is null || modifiedAt < OldestDue) OldestDue = modifiedAt;
    }

    public void NoteFuture(DateTimeOffset modifiedAt)
    {
        if (NextDue is null || modifiedAt < NextDue) NextDue = modifiedAt;
    }
}

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

    /// <summary>
    /// Yields the due files in processing order, reading the directory as it goes: unordered, in directory order and
    /// in memory that does not grow with the backlog (as uWSGI's readdir loop); ordered, each directory is read and
    /// sorted before its first file is yielded. <paramref name="totals"/> is complete once the enumeration ends.
    /// </summary>
    public static IEnumerable<SpoolCandidate> EnumerateDue(string root, bool ordered, DateTimeOffset now, Func<string, bool> skip, ScanTotals totals)
    {
        if (!ordered)
        {
            foreach (var (path, modifiedAt) in EnumerateTaskFiles(root))
            {
                if (IsDue(path, modifiedAt, now, skip, totals))
                {
                    yield return new SpoolCandidate(path, null, modifiedAt);
                }
            }
            yield break;
        }
        foreach (var (directory, modifiedAt) in ListPriorityDirectories(root))
        {
            if (modifiedAt > now)
            {
                // uWSGI skips a priority directory whose own mtime is in the future, with all it holds.
                totals.NoteFuture(modifiedAt);
                continue;
            }
            int priority = int.Parse(Path.GetFileName(directory.AsSpan()), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var candidate in SortedDue(directory, priority, now, skip, totals))
            {
                yield return candidate;
            }
        }
        foreach (var candidate in SortedDue(root, null, now, skip, totals))
        {
            yield return candidate;
        }
    }

    private static List<SpoolCandidate> SortedDue(string directory, int? priority, DateTimeOffset now, Func<string, bool> skip, ScanTotals totals)
    {
        var due = new List<SpoolCandidate>();
        foreach (var (path, modifiedAt) in EnumerateTaskFiles(directory))
        {
            if (IsDue(path, modifiedAt, now, skip, totals))
            {
                due.Add(new SpoolCandidate(path, priority, modifiedAt));
            }
        }
        due.Sort(static (a, b) => VersionSortComparer.Instance.Compare(Path.GetFileName(a.Path.AsSpan()), Path.GetFileName(b.Path.AsSpan())));
        return due;
    }

    private static bool IsDue(string path, DateTimeOffset modifiedAt, DateTimeOffset now, Func<string, bool> skip, ScanTotals totals)
    {
        if (modifiedAt > now)
        {
            totals.NoteFuture(modifiedAt);
            return false;
        }
        totals.NoteDue(modifiedAt);
        return !skip(path);
    }

    /// <summary>
    /// Task files of one directory and their mtimes, read lazily (bounded memory for listings of any size), in
    /// directory order; empty when the directory does not exist or disappears while it is read.
    /// </summary>
    public static IEnumerable<(string Path, DateTimeOffset ModifiedAt)> EnumerateTaskFiles(string directory)
    {
        IEnumerator<(string, DateTimeOffset)> files;
        try
        {
            files = new FileSystemEnumerable<(string, DateTimeOffset)>(directory,
                static (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.LastWriteTimeUtc), s_options)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                    !entry.IsDirectory
                    && (entry.Attributes & FileAttributes.ReparsePoint) == 0
                    && SpoolFileName.HasTaskPrefix(entry.FileName),
            }.GetEnumerator();
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }
        using (files)
        {
            while (true)
            {
                try
                {
                    if (!files.MoveNext()) yield break;
                }
                catch (DirectoryNotFoundException)
                {
                    yield break;
                }
                yield return files.Current;
            }
        }
    }

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
                    && SpoolSchedule.IsPriority(entry.FileName),
            }];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        directories.Sort(static (a, b) => VersionSortComparer.Instance.Compare(Path.GetFileName(a.Path.AsSpan()), Path.GetFileName(b.Path.AsSpan())));
        return directories;
    }

    /// <summary>
    /// Removes temporary files a crashed producer left behind (their enqueue never returned, so no one is owed them).
    /// Both the mtime and the ctime must be older than <paramref name="olderThan"/>: a recycled file taken from the pool
    /// keeps its old mtime until it is written, but the rename that took it set its ctime.
    /// </summary>
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
                if (NativeFile.TryStat(path) is { } status && status.ChangedAt < olderThan && NativeFile.Unlink(path))
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
}
