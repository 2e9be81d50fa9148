namespace TypedSpool;

/// <summary>What a running task may want to know about itself; declare a parameter of this type to receive it.</summary>
public sealed class SpoolContext
{
    /// <summary>Creates the context of <paramref name="task"/>.</summary>
    public SpoolContext(SpoolTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        Task = task;
    }

    /// <summary>The raw task (packet, body, file).</summary>
    public SpoolTask Task { get; }

    /// <summary>The wire name.</summary>
    public string? TaskName => Task.Name;

    /// <summary>Absolute path of the spool file.</summary>
    public string FilePath => Task.FilePath;

    /// <summary>Which run this is, from 1.</summary>
    public int Attempt => Task.Attempt;

    /// <summary>When the task became due.</summary>
    public DateTimeOffset ScheduledAt => Task.ScheduledAt;

    /// <summary>Priority subdirectory, if any.</summary>
    public int? Priority => Task.Priority;

    /// <summary>For a [Timer]/[Cron] run: the slot it was written for.</summary>
    public DateTimeOffset? Slot => long.TryParse(Task.Packet.GetText(Format.SpoolKeys.Slot), System.Globalization.NumberStyles.None,
        System.Globalization.CultureInfo.InvariantCulture, out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
