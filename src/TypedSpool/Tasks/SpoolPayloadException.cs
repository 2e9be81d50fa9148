namespace TypedSpool;

/// <summary>
/// A task's payload cannot be decoded into its method's parameters (missing key, bad text, invalid UTF-8, bad
/// JSON). Retrying cannot help, so the worker moves such a task to the dead-letter directory at once.
/// </summary>
public sealed class SpoolPayloadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SpoolPayloadException(string taskName, string key, string problem, Exception? inner = null)
        : base($"Task '{taskName}': payload key '{key}' {problem}", inner)
    {
        TaskName = taskName;
        Key = key;
    }

    /// <summary>The task's wire name.</summary>
    public string TaskName { get; }

    /// <summary>The payload key (parameter name) concerned, or <c>body</c>.</summary>
    public string Key { get; }
}
