using System.Runtime.InteropServices;
using TypedSpool.Format;

namespace TypedSpool.Storage;

/// <summary>
/// Tells a worker, within microseconds, that a task file has appeared in its spool: one inotify instance on the
/// directory (and in ordered mode on its priority directories, including ones created later), read by a dedicated
/// thread that blocks in poll(2).
/// It listens only for names arriving: IN_MOVED_TO (a TypedSpool producer's rename) and IN_CREATE (uWSGI's writer
/// creates the task file in place, then locks and fills it). Never for writes, closes or deletions, so the worker's
/// own claims and unlinks do not wake it: FileSystemWatcher reported those too, and built event objects and path
/// strings for each (measured at 3.8 KB allocated and about 30 µs of CPU per task).
/// </summary>
internal sealed class DirectoryWatch : IDisposable
{
    private const uint NameArrives = Libc.IN_MOVED_TO | Libc.IN_CREATE | Libc.IN_EXCL_UNLINK | Libc.IN_ONLYDIR;
    private const uint RootGone = Libc.IN_DELETE_SELF | Libc.IN_MOVE_SELF;
    private const int BufferSize = 64 * 1024;

    private readonly int _inotify;
    private readonly int _stop;
    private readonly string _root;
    private readonly bool _priorityDirectories;
    private readonly Action _onTaskFile;
    private readonly Action<IOException> _onFailure;
    private readonly Thread _thread;
    private int _rootWatch;
    private int _disposed;
    private int _lost;

    private DirectoryWatch(int inotify, int stop, string root, bool priorityDirectories, Action onTaskFile, Action<IOException> onFailure)
    {
        _inotify = inotify;
        _stop = stop;
        _root = root;
        _priorityDirectories = priorityDirectories;
        _onTaskFile = onTaskFile;
        _onFailure = onFailure;
        _thread = new Thread(ReadEvents) { IsBackground = true, Name = "TypedSpool watch" };
    }

    /// <summary>
    /// Starts watching <paramref name="root"/>. <paramref name="onTaskFile"/> runs on the watch thread, once per batch
    /// of events that named a task file (or when the kernel's queue overflowed); keep it short. Throws an
    /// <see cref="IOException"/> when the watch cannot be set up (for example the per-user inotify limits).
    /// </summary>
    public static DirectoryWatch Start(string root, bool priorityDirectories, Action onTaskFile, Action<IOException> onFailure)
    {
        int inotify = Libc.InotifyInit1(Libc.IN_NONBLOCK | Libc.IN_CLOEXEC);
        if (inotify < 0)
        {
            throw NativeFile.Error("inotify_init1", root, Marshal.GetLastPInvokeError());
        }
        int stop = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (stop < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Libc.Close(inotify);
            throw NativeFile.Error("eventfd", root, errno);
        }
        var watch = new DirectoryWatch(inotify, stop, root, priorityDirectories, onTaskFile, onFailure);
        try
        {
            // The root first: a priority directory created while the existing ones are listed is then reported.
            watch._rootWatch = watch.AddWatch(root) ?? throw NativeFile.Error("inotify_add_watch", root, Libc.ENOENT);
            if (priorityDirectories)
            {
                foreach (var (directory, _) in SpoolScanner.ListPriorityDirectories(root))
                {
                    watch.AddWatch(directory);
                }
            }
        }
        catch
        {
            watch.CloseDescriptors();
            throw;
        }
        watch._thread.Start();
        return watch;
    }

    /// <summary>
    /// True once the watch no longer covers the spool: its directory was removed, moved or unmounted, or reading events
    /// failed. The worker then starts a new watch at its next full scan.
    /// </summary>
    public bool IsLost => Volatile.Read(ref _lost) != 0;

    /// <summary>Stops the watch thread and closes the inotify instance.</summary>
    public unsafe void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        ulong one = 1;
        Libc.Write(_stop, (byte*)&one, sizeof(ulong));
        if (_thread.IsAlive && _thread != Thread.CurrentThread)
        {
            _thread.Join();
        }
        CloseDescriptors();
    }

    /// <summary>Adds a watch; null when the directory is already gone.</summary>
    private int? AddWatch(string directory)
    {
        // The spool itself may be reached through a symlink (a common deployment); a priority directory that is a
        // symlink is not scanned, so it is not watched either.
        int watch = Libc.InotifyAddWatch(_inotify, directory, NameArrives | (directory == _root ? RootGone : Libc.IN_DONT_FOLLOW));
        if (watch >= 0)
        {
            return watch;
        }
        int errno = Marshal.GetLastPInvokeError();
        return errno == Libc.ENOENT ? null : throw NativeFile.Error("inotify_add_watch", directory, errno);
    }

    private unsafe void ReadEvents()
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
        var fds = stackalloc Libc.PollFd[2];
        fds[0] = new Libc.PollFd { Fd = _inotify, Events = Libc.POLLIN };
        fds[1] = new Libc.PollFd { Fd = _stop, Events = Libc.POLLIN };
        try
        {
            while (true)
            {
                if (Libc.Poll(fds, 2, -1) < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR) continue;
                    throw NativeFile.Error("poll", _root, errno);
                }
                if (fds[1].ReturnedEvents != 0)
                {
                    return;
                }
                DrainEvents(buffer);
            }
        }
        catch (IOException ex)
        {
            Volatile.Write(ref _lost, 1);
            _onFailure(ex);
        }
    }

    /// <summary>Reads every queued event, waking the worker after each batch that calls for a scan (not only at the end:
    /// under a steady stream of events the queue may never run dry).</summary>
    private unsafe void DrainEvents(byte[] buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                nint read = Libc.Read(_inotify, start, (nuint)buffer.Length);
                if (read < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR) continue;
                    if (errno == Libc.EAGAIN) return;
                    throw NativeFile.Error("read of inotify events", _root, errno);
                }
                bool wake = false;
                var events = buffer.AsSpan(0, (int)read);
                while (events.Length >= Libc.InotifyEventHeaderSize)
                {
                    int watch = MemoryMarshal.Read<int>(events);
                    uint mask = MemoryMarshal.Read<uint>(events[4..]);
                    int nameLength = MemoryMarshal.Read<int>(events[12..]);
                    var name = events.Slice(Libc.InotifyEventHeaderSize, nameLength);
                    int end = name.IndexOf((byte)0);
                    wake |= OnEvent(watch, mask, end < 0 ? name : name[..end]);
                    events = events[(Libc.InotifyEventHeaderSize + nameLength)..];
                }
                if (wake)
                {
                    _onTaskFile();
                }
            }
        }
    }

    private bool OnEvent(int watch, uint mask, ReadOnlySpan<byte> name)
    {
        if ((mask & Libc.IN_Q_OVERFLOW) != 0)
        {
            return true; // events were dropped: a scan finds whatever they named
        }
        if (watch == _rootWatch && (mask & (RootGone | Libc.IN_IGNORED)) != 0)
        {
            Volatile.Write(ref _lost, 1);
            if ((mask & Libc.IN_IGNORED) != 0)
            {
                _onFailure(new IOException($"The spool directory '{_root}' was removed, moved or unmounted; new files are found by the periodic scan until it watches the directory again."));
            }
            return true;
        }
        if ((mask & Libc.IN_ISDIR) != 0)
        {
            if (watch != _rootWatch || !_priorityDirectories)
            {
                return false;
            }
            string directoryName = System.Text.Encoding.UTF8.GetString(name); // a directory created: rare enough to allocate
            if (!SpoolSchedule.IsPriority(directoryName))
            {
                return false;
            }
            // A new priority directory: files may have moved into it before this watch existed.
            string directory = Path.Combine(_root, directoryName);
            try
            {
                AddWatch(directory);
            }
            catch (IOException ex)
            {
                // One directory that cannot be watched (the per-user watch limit) must not end the watch of the rest:
                // the periodic scan still finds its files.
                _onFailure(ex);
            }
            return true;
        }
        return name.StartsWith(SpoolFileName.PrefixUtf8);
    }

    private void CloseDescriptors()
    {
        Libc.Close(_inotify);
        Libc.Close(_stop);
    }
}
