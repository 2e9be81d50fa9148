using System.Text;

namespace TypedSpool.Format;

/// <summary>
/// A decoded spool file: the uwsgi packet's key/value pairs, in file order, and the body (the bytes after
/// the packet). Duplicate keys are representable, as in uWSGI; lookups return the last one, as Python does.
/// </summary>
public sealed class SpoolPacket
{
    /// <summary>uWSGI writes 17 as modifier1 of a spool file.</summary>
    public const byte SpoolModifier1 = 17;

    /// <summary>Creates a packet.</summary>
    public SpoolPacket(IReadOnlyList<SpoolPair> pairs, ReadOnlyMemory<byte> body = default, byte modifier1 = SpoolModifier1, byte modifier2 = 0)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        Pairs = pairs;
        Body = body;
        Modifier1 = modifier1;
        Modifier2 = modifier2;
    }

    /// <summary>Creates a packet from UTF-8 text pairs.</summary>
    public static SpoolPacket FromText(IEnumerable<KeyValuePair<string, string>> pairs, ReadOnlyMemory<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = new List<SpoolPair>();
        foreach (var pair in pairs)
        {
            list.Add(SpoolPair.FromText(pair.Key, pair.Value));
        }
        return new SpoolPacket(list, body);
    }

    /// <summary>The header's first byte (17 in files written by uWSGI or TypedSpool; not checked by consumers).</summary>
    public byte Modifier1 { get; }

    /// <summary>The header's last byte (0 when written by uWSGI).</summary>
    public byte Modifier2 { get; }

    /// <summary>Key/value pairs in file order.</summary>
    public IReadOnlyList<SpoolPair> Pairs { get; }

    /// <summary>Bytes after the packet (empty when the file ends with the packet).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Returns the value of the last pair named <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(string key, out ReadOnlyMemory<byte> value)
    {
        for (int i = Pairs.Count - 1; i >= 0; i--)
        {
            if (Pairs[i].KeyEquals(key))
            {
                value = Pairs[i].Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Returns the last value named <paramref name="key"/> as UTF-8 text, or null when absent.</summary>
    public string? GetText(string key) => TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value.Span) : null;

    /// <summary>Returns a copy in which every pair named <paramref name="key"/> is replaced by one pair (at the first one's place, or appended).</summary>
    public SpoolPacket With(string key, string value)
    {
        var replacement = SpoolPair.FromText(key, value);
        var list = new List<SpoolPair>(Pairs.Count + 1);
        bool placed = false;
        foreach (var pair in Pairs)
        {
            if (pair.KeyEquals(key))
            {
                if (!placed)
                {
                    list.Add(replacement);
                    placed = true;
                }
                continue;
            }
            list.Add(pair);
        }
        if (!placed)
        {
            list.Add(replacement);
        }
        return new SpoolPacket(list, Body, Modifier1, Modifier2);
    }

    /// <summary>Returns a copy without the pairs named <paramref name="keys"/> (the same instance when there are none).</summary>
    public SpoolPacket Without(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var kept = new List<SpoolPair>(Pairs.Count);
        foreach (var pair in Pairs)
        {
            if (!keys.Any(pair.KeyEquals)) kept.Add(pair);
        }
        return kept.Count == Pairs.Count ? this : new SpoolPacket(kept, Body, Modifier1, Modifier2);
    }

    /// <summary>Returns a copy with another body.</summary>
    public SpoolPacket WithBody(ReadOnlyMemory<byte> body) => new(Pairs, body, Modifier1, Modifier2);
}
