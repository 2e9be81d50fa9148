using System.Buffers.Binary;
using System.Text;

namespace TypedSpool.Format;

/// <summary>
/// Encodes and decodes the uwsgi packet of a spool file: header <c>[modifier1][u16 LE area size][modifier2]</c>,
/// then pairs of u16 LE length-prefixed key and value; the body is the rest of the file.
/// </summary>
public static class SpoolPacketCodec
{
    /// <summary>Size of the packet header.</summary>
    public const int HeaderSize = 4;

    /// <summary>Largest key/value area, key and value (16-bit lengths).</summary>
    public const int MaxFieldSize = ushort.MaxValue;

    /// <summary>
    /// Decodes a whole spool file. Never trusts a length: any length that overruns the area or the file,
    /// a zero key length, or stray trailing bytes in the area throw <see cref="SpoolFormatException"/>.
    /// The pairs and body slice <paramref name="file"/>; nothing is copied.
    /// </summary>
    public static SpoolPacket Decode(ReadOnlyMemory<byte> file)
    {
        var span = file.Span;
        if (span.Length < HeaderSize)
        {
            throw new SpoolFormatException(SpoolFormatError.HeaderTruncated, 0, $"the file has {span.Length} bytes, a header needs {HeaderSize}");
        }
        int areaSize = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(1, 2));
        if (areaSize > span.Length - HeaderSize)
        {
            throw new SpoolFormatException(SpoolFormatError.AreaOverrunsFile, 1,
                $"the header announces a {areaSize}-byte key/value area but only {span.Length - HeaderSize} bytes follow it");
        }

        int end = HeaderSize + areaSize;
        int count = 0;
        int pos = HeaderSize;
        while (pos < end)
        {
            // uWSGI (uwsgi_hooked_parse) needs 2 length bytes and at least one key byte.
            if (end - pos < 3)
            {
                throw new SpoolFormatException(SpoolFormatError.KeyLengthTruncated, pos,
                    $"{end - pos} stray byte(s) at the end of the key/value area, too few for a pair");
            }
            int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(pos, 2));
            if (keyLength == 0)
            {
                throw new SpoolFormatException(SpoolFormatError.ZeroKeyLength, pos, "a key length is zero");
            }
            int keyStart = pos + 2;
            if (keyLength > end - keyStart)
            {
                throw new SpoolFormatException(SpoolFormatError.KeyOverrunsArea, pos,
                    $"a {keyLength}-byte key overruns the area, which ends at offset {end}");
            }
            int valueLengthAt = keyStart + keyLength;
            if (end - valueLengthAt < 2)
            {
                throw new SpoolFormatException(SpoolFormatError.ValueLengthTruncated, valueLengthAt,
                    $"the value length of key '{Describe(span.Slice(keyStart, keyLength))}' is cut off by the end of the area");
            }
            int valueLength = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(valueLengthAt, 2));
            int valueStart = valueLengthAt + 2;
            if (valueLength > end - valueStart)
            {
                throw new SpoolFormatException(SpoolFormatError.ValueOverrunsArea, valueLengthAt,
                    $"the {valueLength}-byte value of key '{Describe(span.Slice(keyStart, keyLength))}' overruns the area, which ends at offset {end}");
            }
            count++;
            pos = valueStart + valueLength;
        }

        // A second pass over the validated area fills an array of the exact size (no list, no spare capacity).
        var pairs = new SpoolPair[count];
        pos = HeaderSize;
        for (int i = 0; i < pairs.Length; i++)
        {
            int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(pos, 2));
            int valueLengthAt = pos + 2 + keyLength;
            int valueLength = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(valueLengthAt, 2));
            pairs[i] = new SpoolPair(file.Slice(pos + 2, keyLength), file.Slice(valueLengthAt + 2, valueLength));
            pos = valueLengthAt + 2 + valueLength;
        }
        return new SpoolPacket(pairs, file[end..], span[0], span[3]);
    }

    /// <summary>
    /// Returns the size of the key/value area of <paramref name="pairs"/>, or throws
    /// <see cref="SpoolLimitException"/> when a key, a value or the area is over 65535 bytes,
    /// and <see cref="ArgumentException"/> for an empty key.
    /// </summary>
    public static int MeasureArea(IReadOnlyList<SpoolPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        long total = 0;
        int largest = -1;
        for (int i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i];
            if (pair.Key.Length == 0)
            {
                throw new ArgumentException($"Spool packet rejected: pair {i} has an empty key; keys must be at least one byte.", nameof(pairs));
            }
            if (pair.Key.Length > MaxFieldSize)
            {
                throw new SpoolLimitException(Describe(pair.Key.Span), "the key", pair.Key.Length, MaxFieldSize);
            }
            if (pair.Value.Length > MaxFieldSize)
            {
                throw new SpoolLimitException(Describe(pair.Key.Span), "the value", pair.Value.Length, MaxFieldSize, "Put large data in the body.");
            }
            long size = 4L + pair.Key.Length + pair.Value.Length;
            if (largest < 0 || size > 4L + pairs[largest].Key.Length + pairs[largest].Value.Length)
            {
                largest = i;
            }
            total += size;
        }
        if (total > MaxFieldSize)
        {
            var big = pairs[largest];
            throw new SpoolLimitException(Describe(big.Key.Span), $"the key/value area ({pairs.Count} pairs, {total} bytes in all) holding the largest pair ({4 + big.Key.Length + big.Value.Length} bytes)",
                total, MaxFieldSize, "Put large data in the body.");
        }
        return (int)total;
    }

    /// <summary>Encodes the header and key/value area (not the body) into a new array; validates first, so nothing is produced on rejection.</summary>
    public static byte[] EncodeHeaderAndArea(SpoolPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        int area = MeasureArea(packet.Pairs);
        var buffer = new byte[HeaderSize + area];
        WriteHeaderAndArea(packet, area, buffer);
        return buffer;
    }

    /// <summary>Encodes the whole file (header, area, body) into a new array.</summary>
    public static byte[] EncodeFile(SpoolPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        int area = MeasureArea(packet.Pairs);
        var buffer = new byte[HeaderSize + area + packet.Body.Length];
        WriteHeaderAndArea(packet, area, buffer);
        packet.Body.Span.CopyTo(buffer.AsSpan(HeaderSize + area));
        return buffer;
    }

    private static void WriteHeaderAndArea(SpoolPacket packet, int area, Span<byte> destination)
    {
        destination[0] = packet.Modifier1;
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(1, 2), (ushort)area);
        destination[3] = packet.Modifier2;
        int pos = HeaderSize;
        var pairs = packet.Pairs;
        for (int i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i];
            BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(pos, 2), (ushort)pair.Key.Length);
            pair.Key.Span.CopyTo(destination[(pos + 2)..]);
            pos += 2 + pair.Key.Length;
            BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(pos, 2), (ushort)pair.Value.Length);
            pair.Value.Span.CopyTo(destination[(pos + 2)..]);
            pos += 2 + pair.Value.Length;
        }
    }

    /// <summary>A short, printable rendering of a key for error messages.</summary>
    internal static string Describe(ReadOnlySpan<byte> key)
    {
        const int Shown = 64;
        var text = Encoding.UTF8.GetString(key.Length > Shown ? key[..Shown] : key);
        return key.Length > Shown ? text + $"… ({key.Length} bytes)" : text;
    }
}
