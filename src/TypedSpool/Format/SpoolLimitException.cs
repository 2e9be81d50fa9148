namespace TypedSpool.Format;

/// <summary>
/// A packet that does not fit the uwsgi format's 16-bit lengths. uWSGI silently truncates such
/// values; TypedSpool refuses them and writes nothing.
/// </summary>
public sealed class SpoolLimitException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public SpoolLimitException(string key, string what, long size, long limit, string? hint = null)
        : base($"Spool packet rejected: {what} of key '{key}' is {size} bytes, over the limit of {limit} bytes.{(hint is null ? "" : " " + hint)}")
    {
        Key = key;
        Size = size;
        Limit = limit;
    }

    /// <summary>The key concerned (its UTF-8 text, shortened when very long).</summary>
    public string Key { get; }

    /// <summary>The size that was refused.</summary>
    public long Size { get; }

    /// <summary>The limit it exceeded.</summary>
    public long Limit { get; }
}
