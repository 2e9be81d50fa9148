using TypedSpool.Diagnostics;
using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>SpoolWorker: file-system notifications that wake the loop.</summary>
public sealed partial class SpoolWorker
{
    /// <summary>Starts the inotify watch; null when watching is off or cannot start (then the periodic scan finds files).</summary>
    private DirectoryWatch? StartWatch()
    {
        if (!_options.WatchForChanges)
        {
            return null;
        }
        try
        {
            return DirectoryWatch.Start(_root, _options.Ordered, _wake.Set, OnWatchFailed);
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException)
        {
            SpoolLog.WatcherFailed(_logger, ex, _root);
            return null;
        }
    }

    /// <summary>A watch that lost its directory is started again at a full scan (recreating the spool, as a start does).</summary>
    private DirectoryWatch? RestartWatch()
    {
        try
        {
            NativeFile.EnsureDirectory(_root, _options.Durability == SpoolDurability.Full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SpoolLog.WatcherFailed(_logger, ex, _root);
            return null;
        }
        return StartWatch();
    }

    private void OnWatchFailed(IOException ex)
    {
        SpoolLog.WatcherFailed(_logger, ex, _root);
        _wake.Set();
    }
}
