using Microsoft.Win32.SafeHandles;

namespace TypedSpool.Storage;

/// <summary>
/// Group commit for durable writes into one directory. Each writer writes its temporary file, then hands it over; one
/// of them flushes everything handed over so far in one go: start every file's writeback, fsync each (the first
/// commits the journal transaction that holds all their blocks, so the others only wait), rename each into place, and
/// fsync the directory once. Every file still gets its own fsync and every acknowledged task is durable; what is
/// shared is the journal commits behind them, so concurrent producers pay about the syncs of one.
/// </summary>
internal sealed class GroupCommit
{
    /// <summary>One temporary file waiting to be made durable and renamed.</summary>
    public sealed class Request(SafeFileHandle handle, string temporaryPath, string finalPath, bool replace)
    {
        public SafeFileHandle Handle { get; } = handle;
        public string TemporaryPath { get; } = temporaryPath;
        public string FinalPath { get; } = finalPath;
        public bool Replace { get; } = replace;

        /// <summary>Set by the flush: false when the name was taken (nothing renamed).</summary>
        public bool Renamed { get; set; }
    }

    private readonly string _directory;
    private readonly SyncBatcher<Request> _batcher;

    public GroupCommit(string directory)
    {
        _directory = directory;
        _batcher = new SyncBatcher<Request>(Flush);
    }

    /// <summary>Flushes so far: tasks per flush shows how well concurrent enqueues group.</summary>
    public long Flushes => _batcher.Flushes;

    /// <summary>
    /// Returns once the file is durable under its final name (true), or false when that name was taken. A failure
    /// throws; if the rename itself was done, <see cref="Request.Renamed"/> says so.
    /// </summary>
    public bool Commit(Request request)
    {
        _batcher.Sync(request);
        return request.Renamed;
    }

    private void Flush(IReadOnlyList<Request> requests, Exception?[] errors)
    {
        if (requests.Count > 1)
        {
            foreach (var request in requests)
            {
                NativeFile.StartWriteBack(request.Handle);
            }
        }
        bool anyRenamed = false;
        for (int i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            try
            {
                NativeFile.FSync(request.Handle, request.TemporaryPath);
                if (request.Replace)
                {
                    NativeFile.Rename(request.TemporaryPath, request.FinalPath);
                    request.Renamed = true;
                }
                else
                {
                    request.Renamed = NativeFile.RenameNoReplace(request.TemporaryPath, request.FinalPath);
                }
                anyRenamed |= request.Renamed;
            }
            catch (IOException ex)
            {
                errors[i] = ex;
            }
        }
        if (anyRenamed)
        {
            try
            {
                NativeFile.FSyncDirectory(_directory);
            }
            catch (IOException ex)
            {
                // No rename of this batch is known to be durable: none of them is acknowledged.
                for (int i = 0; i < requests.Count; i++)
                {
                    if (requests[i].Renamed) errors[i] ??= ex;
                }
            }
        }
    }
}
