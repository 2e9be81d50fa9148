namespace TypedSpool;

/// <summary>A task that is durably in a spool.</summary>
/// <param name="Path">Absolute path of the spool file.</param>
/// <param name="Spooler">Name of the spool it went to.</param>
/// <param name="Priority">Priority subdirectory, if any.</param>
/// <param name="At">Not-before time, if any.</param>
public sealed record EnqueuedTask(string Path, string Spooler, int? Priority, DateTimeOffset? At)
{
    /// <summary>The file name, which identifies the task within its directory.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);
}
