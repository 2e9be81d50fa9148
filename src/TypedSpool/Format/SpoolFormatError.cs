namespace TypedSpool.Format;

/// <summary>What is wrong with a spool file that cannot be decoded.</summary>
public enum SpoolFormatError
{
    /// <summary>The file is shorter than the 4-byte header.</summary>
    HeaderTruncated,
    /// <summary>The header announces a key/value area longer than the rest of the file.</summary>
    AreaOverrunsFile,
    /// <summary>Fewer bytes remain in the area than a key length field and a key need.</summary>
    KeyLengthTruncated,
    /// <summary>A key length of zero (uWSGI treats it as an error).</summary>
    ZeroKeyLength,
    /// <summary>A key runs past the end of the area.</summary>
    KeyOverrunsArea,
    /// <summary>Fewer than 2 bytes remain for a value length field.</summary>
    ValueLengthTruncated,
    /// <summary>A value runs past the end of the area.</summary>
    ValueOverrunsArea,
}
