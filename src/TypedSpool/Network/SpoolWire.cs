namespace TypedSpool.Network;

/// <summary>
/// The uwsgi network spooling protocol (modifier1 17): the request is the spool file's header and key/value area;
/// the answer is four bytes, <c>ff 00 00 01</c> once the file is durable, <c>ff 00 00 00</c> on refusal. uWSGI ignores
/// anything after the area, so a body cannot travel.
/// </summary>
internal static class SpoolWire
{
    public static ReadOnlySpan<byte> Accepted => [0xff, 0x00, 0x00, 0x01];

    public static ReadOnlySpan<byte> Refused => [0xff, 0x00, 0x00, 0x00];

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes; false when the peer closed first.</summary>
    public static async ValueTask<bool> ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0) return false;
            total += read;
        }
        return true;
    }
}
