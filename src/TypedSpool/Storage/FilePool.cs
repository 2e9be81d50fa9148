using System.IO.Enumeration;

namespace TypedSpool.Storage;

/// <summary>
/// Recycles the inodes of finished task files. A worker moves a finished file of at most one block into
/// <c>&lt;spool&gt;/.typedspool-free/</c> instead of unlinking it; a producer takes one by renaming it to its temporary
/// name, then overwrites it. Each step is one atomic rename, so processes need no other coordination: a producer that
/// finds nothing (or loses a race for a file) creates a new one, as it always did.
/// Why: on ext4 without a journal, creating a file skips, one inode-table read at a time, every inode freed in the
/// last minute (<c>recently_deleted</c>), so a spool that creates and deletes thousands of files a minute makes every
/// create slower (measured 1,000-1,700 creates/s against 16,000-24,000 with recycling); with the <c>discard</c> mount
/// option, unlinking a file whose block has reached the disk also waits for a discard.
/// </summary>
internal sealed class FilePool
{
    /// <summary>Larger files are unlinked: the pool holds at most one block per file.</summary>
    public const long MaxFileSize = 4096;

    /// <summary>A file that has sat in the pool this long is removed at the next full scan.</summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromHours(1);

    private const int MaxNamesRead = 256;
    private const int MaxMisses = 8;
    private const int MaxBackoff = 256;

    private readonly object _gate = new();
    private readonly Queue<string> _names = new();
    private readonly int _capacity;
    private int _skip;
    private int _backoff;
    private int _estimate = -1;
    private int _refusals;

    public FilePool(string spoolDirectory, int capacity = 1024)
    {
        Directory = System.IO.Path.Combine(spoolDirectory, SpoolLayout.Recycled);
        _capacity = capacity;
    }

    /// <summary>The pool directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// Worker side: moves a finished task file into the pool, in place of unlinking it. The caller holds the file's
    /// lock. Returns false, having done nothing, when the file is too large, has other links (another name would see
    /// the next task's bytes), or the pool is full; the caller then unlinks it.
    /// </summary>
    public bool TryPut(string taskPath, in FileStatus status)
    {
        if (status.Size > MaxFileSize || status.LinkCount != 1 || !status.IsRegularFile || !ReserveSlot())
        {
            return false;
        }
        // Without the task prefix: nothing that looks for task files, recursively or not, mistakes a pooled one for a task.
        var name = System.IO.Path.GetFileName(taskPath.AsSpan());
        string target = System.IO.Path.Join(Directory.AsSpan(), Format.SpoolFileName.HasTaskPrefix(name) ? name[Format.SpoolFileName.Prefix.Length..] : name);
        int errno = NativeFile.TryRenameNoReplace(taskPath, target);
        if (errno == Libc.ENOENT && !System.IO.Directory.Exists(Directory))
        {
            try
            {
                NativeFile.EnsureDirectory(Directory, durable: false);
                errno = NativeFile.TryRenameNoReplace(taskPath, target);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No room or no right for the directory (a full disk, a policy that forbids mkdir): the caller unlinks.
                ReleaseSlot();
                return false;
            }
        }
        if (errno != 0)
        {
            ReleaseSlot();
            return false;
        }
        return true;
    }

    /// <summary>
    /// Producer side: renames a pooled file to <paramref name="temporaryPath"/> (which must not exist). False when the
    /// pool is empty or every file tried was taken by another producer first. After an empty look the pool is left
    /// alone for a growing number of calls (16, doubling up to 256), so an unused pool costs a producer almost nothing;
    /// <paramref name="ignoreBackoff"/> looks anyway (a full disk: the pool's files are the only room left).
    /// </summary>
    public bool TryTake(string temporaryPath, bool ignoreBackoff = false)
    {
        for (int misses = 0; misses < MaxMisses; misses++)
        {
            string? name = NextName(ignoreBackoff);
            if (name is null)
            {
                return false;
            }
            int errno = NativeFile.TryRenameNoReplace(System.IO.Path.Combine(Directory, name), temporaryPath);
            if (errno == 0)
            {
                return true;
            }
            if (errno != Libc.ENOENT || !System.IO.Directory.Exists(System.IO.Path.GetDirectoryName(temporaryPath)))
            {
                // Another file system (EXDEV), permissions, or a destination directory not made yet: create as usual.
                return false;
            }
        }
        return false;
    }

    /// <summary>Removes files that have sat in the pool longer than <see cref="MaxIdle"/>, and recounts it.</summary>
    public void Trim(DateTimeOffset now)
    {
        int kept = 0;
        try
        {
            foreach (string path in new FileSystemEnumerable<string>(Directory, static (ref FileSystemEntry entry) => entry.ToFullPath())
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
            })
            {
                // ctime, not mtime: moving a file into the pool changes its ctime only.
                if (NativeFile.TryStat(path) is { } status && now - status.ChangedAt > MaxIdle)
                {
                    NativeFile.Unlink(path);
                }
                else
                {
                    kept++;
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        lock (_gate)
        {
            _estimate = kept;
        }
    }

    private string? NextName(bool ignoreBackoff)
    {
        lock (_gate)
        {
            if (_names.Count == 0)
            {
                if (_skip > 0 && !ignoreBackoff)
                {
                    _skip--;
                    return null;
                }
                ReadNames();
                if (_names.Count == 0)
                {
                    _backoff = Math.Min(Math.Max(_backoff * 2, 16), MaxBackoff);
                    _skip = _backoff;
                    return null;
                }
                _backoff = 0;
            }
            return _names.Dequeue();
        }
    }

    private void ReadNames()
    {
        try
        {
            foreach (string name in new FileSystemEnumerable<string>(Directory, static (ref FileSystemEntry entry) => entry.FileName.ToString())
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
            })
            {
                _names.Enqueue(name);
                if (_names.Count == MaxNamesRead) break;
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>
    /// Counts the pool without listing it on every put: an estimate that only overcounts (producers take files
    /// unseen), listed again when it reaches the capacity, at most once per 64 refusals.
    /// </summary>
    private bool ReserveSlot()
    {
        lock (_gate)
        {
            if (_estimate < 0 || (_estimate >= _capacity && _refusals++ % 64 == 0))
            {
                _estimate = Count();
            }
            if (_estimate >= _capacity)
            {
                return false;
            }
            _estimate++;
            return true;
        }
    }

    private void ReleaseSlot()
    {
        lock (_gate)
        {
            _estimate--;
        }
    }

    private int Count()
    {
        try
        {
            return new FileSystemEnumerable<byte>(Directory, static (ref FileSystemEntry _) => 0).Count();
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }
}
