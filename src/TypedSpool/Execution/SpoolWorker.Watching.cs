using TypedSpool.Diagnostics;
using TypedSpool.Format;

namespace TypedSpool;

/// <summary>SpoolWorker: file-system notifications that wake the loop.</summary>
public sealed partial class SpoolWorker
{
    private FileSystemWatcher? StartWatcher()
    {
        if (!_options.WatchForChanges)
        {
            return null;
        }
        try
        {
            var watcher = new FileSystemWatcher(_root)
            {
                IncludeSubdirectories = _options.Ordered,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite,
            };
            watcher.Created += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.Changed += OnFileEvent;
            watcher.Error += (_, e) =>
            {
                SpoolLog.WatcherFailed(_logger, e.GetException(), _root);
                _wake.Set();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            SpoolLog.WatcherFailed(_logger, ex, _root);
            return null;
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        if (SpoolFileName.HasTaskPrefix(Path.GetFileName(e.FullPath.AsSpan())) || SpoolFileName.IsDigits(Path.GetFileName(e.FullPath.AsSpan())))
        {
            _wake.Set();
        }
    }
}
