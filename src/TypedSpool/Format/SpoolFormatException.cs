namespace TypedSpool.Format;

/// <summary>A spool file or packet that cannot be decoded: says what is wrong and at which byte offset.</summary>
public sealed class SpoolFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SpoolFormatException(SpoolFormatError error, long offset, string detail)
        : base($"{error} at offset {offset}: {detail}")
    {
        Error = error;
        Offset = offset;
    }

    /// <summary>The kind of defect.</summary>
    public SpoolFormatError Error { get; }

    /// <summary>Offset in the file (from its first byte) where the defect starts.</summary>
    public long Offset { get; }
}
