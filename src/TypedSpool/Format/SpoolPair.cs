using System.Text;

namespace TypedSpool.Format;

/// <summary>One key/value pair of a spool packet. Keys and values are raw bytes, as in uWSGI.</summary>
/// <param name="Key">The key bytes (never empty in a valid packet).</param>
/// <param name="Value">The value bytes (may be empty).</param>
public readonly record struct SpoolPair(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value)
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Creates a pair from UTF-8 text.</summary>
    public static SpoolPair FromText(string key, string value)
        => new(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value));

    /// <summary>The key decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string KeyText => Encoding.UTF8.GetString(Key.Span);

    /// <summary>The value decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string ValueText => Encoding.UTF8.GetString(Value.Span);

    /// <summary>True when <paramref name="key"/> equals this pair's key byte for byte (UTF-8).</summary>
    public bool KeyEquals(string key)
    {
        var span = Key.Span;
        // Keys are ASCII in practice: compare without encoding (the worker looks up keys in every packet it runs).
        if (Ascii.Equals(span, key)) return true;
        if (Ascii.IsValid(key)) return false;
        if (span.Length > Encoding.UTF8.GetMaxByteCount(key.Length)) return false;
        Span<byte> buffer = key.Length <= 128 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        int n = Encoding.UTF8.GetBytes(key, buffer);
        return span.SequenceEqual(buffer[..n]);
    }

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8, or returns null when they are not valid UTF-8.</summary>
    public static string? TryDecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
