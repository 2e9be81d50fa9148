using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using TypedSpool.Diagnostics;
using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool.Scheduling;

/// <summary>
/// Fires [Timer] and [Cron] tasks: each due slot becomes one spool file, written by exactly one of the processes that
/// schedule on the same spool. A ledger file per task, under an fcntl lock, holds the last slot fired; the process
/// that finds a slot past it writes the task and moves the ledger on. Policy for slots missed while no scheduler ran:
/// they are fired once, together, as soon as a scheduler starts; a task seen for the first time starts at its next
/// slot. A crash between writing the task and the ledger can fire that slot twice (at-least-once, as every task).
/// </summary>
public sealed class SpoolScheduler
{
    /// <summary>Directory under the spool that holds the ledgers; no consumer scans it.</summary>
    public const string LedgerDirectoryName = ".typedspool-schedule";

    private readonly Spooler _spooler;
    private readonly string? _spoolName;
    private readonly IReadOnlyList<ScheduledTask> _tasks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _ledgers;

    /// <summary>Creates a scheduler that writes to <paramref name="spoolName"/> of <paramref name="spooler"/> (null: its default).</summary>
    public SpoolScheduler(Spooler spooler, string? spoolName, IEnumerable<ScheduledTask> tasks, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(spooler);
        ArgumentNullException.ThrowIfNull(tasks);
        _spooler = spooler;
        _spoolName = spoolName;
        _tasks = [.. tasks];
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _ledgers = Path.Combine(spooler.ResolveTarget(spoolName).Directory, LedgerDirectoryName);
    }

    /// <summary>Fires every task whose next slot is due, once; returns how many it fired.</summary>
    public int FireDue()
    {
        int fired = 0;
        foreach (var task in _tasks)
        {
            if (TryFire(task))
            {
                fired++;
            }
        }
        return fired;
    }

    /// <summary>Fires due slots until <paramref name="stoppingToken"/> fires, sleeping until the earliest next slot.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                FireDue();
            }
            catch (IOException ex)
            {
                SpoolLog.StorageFailure(_logger, ex, _ledgers);
            }
            var now = _time.GetUtcNow();
            DateTimeOffset? wake = null;
            foreach (var task in _tasks)
            {
                if (task.NextAfter(now) is { } next && (wake is null || next < wake)) wake = next;
            }
            if (wake is null)
            {
                return; // every schedule has ended
            }
            try
            {
                // A little past the slot, so that the clock reads at or after it when we look.
                await Task.Delay(wake.Value - now + TimeSpan.FromMilliseconds(5), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private bool TryFire(ScheduledTask task)
    {
        NativeFile.EnsureDirectory(_ledgers, durable: true);
        string path = Path.Combine(_ledgers, LedgerFileName(task.Name));
        using SafeFileHandle ledger = NativeFile.Open(path, Libc.O_RDWR | Libc.O_CREAT, NativeFile.OwnerReadWrite);
        NativeFile.Lock(ledger, path); // released when the handle closes
        var now = _time.GetUtcNow();
        long? last = ReadLedger(ledger, path);
        if (last is null)
        {
            WriteLedger(ledger, path, now.ToUnixTimeSeconds()); // a new schedule starts at its next slot
            return false;
        }
        var previous = DateTimeOffset.FromUnixTimeSeconds(last.Value);
        if (task.NextAfter(previous) is not { } slot || slot > now)
        {
            return false;
        }
        var writer = new SpoolPayloadWriter(task.Name, "-2");
        writer.Text(SpoolKeys.Slot, slot.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        _spooler.Enqueue(writer.ToPacket(), new SpoolOptions { Spooler = _spoolName });
        // Every slot up to now is done: slots missed while no scheduler ran are coalesced into this one firing.
        WriteLedger(ledger, path, now.ToUnixTimeSeconds());
        return true;
    }

    private static long? ReadLedger(SafeFileHandle ledger, string path)
    {
        Span<byte> buffer = stackalloc byte[32];
        int read = RandomAccess.Read(ledger, buffer, 0);
        if (read == 0) return null;
        string text = Encoding.ASCII.GetString(buffer[..read]).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new IOException($"Schedule ledger '{path}' holds '{text}', not unix seconds; delete it to restart the schedule.");
    }

    private static void WriteLedger(SafeFileHandle ledger, string path, long seconds)
    {
        byte[] text = Encoding.ASCII.GetBytes(seconds.ToString(CultureInfo.InvariantCulture) + "\n");
        RandomAccess.SetLength(ledger, 0);
        RandomAccess.Write(ledger, text, 0);
        NativeFile.FSync(ledger, path);
    }

    /// <summary>A file name for any wire name: safe characters kept, the rest hex-escaped, so names never collide.</summary>
    internal static string LedgerFileName(string taskName)
    {
        var name = new StringBuilder(taskName.Length + 8);
        foreach (byte b in Encoding.UTF8.GetBytes(taskName))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'-')
            {
                name.Append((char)b);
            }
            else
            {
                name.Append('_').Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }
        return name.Append(".last").ToString();
    }
}
