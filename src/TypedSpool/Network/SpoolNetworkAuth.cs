using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TypedSpool.Format;

namespace TypedSpool.Network;

/// <summary>
/// TypedSpool's opt-in authentication of network tasks (not part of uWSGI): the client adds a last pair
/// <c>typedspool_auth = v1:UNIXSECONDS:NONCE:HMAC</c>, where HMAC is HMAC-SHA256 with the shared key over
/// <c>"v1\n" + seconds + "\n" + nonce + "\n"</c>, the encoded packet without that pair, and the body. The listener
/// refuses a wrong or missing signature, a timestamp outside its replay window, and a nonce it has already seen.
/// </summary>
public sealed class SpoolNetworkAuth
{
    /// <summary>The key of the authentication pair.</summary>
    public const string AuthKey = "typedspool_auth";

    /// <summary>The key that announces a body following the packet on the wire.</summary>
    public const string BodyLengthKey = "typedspool_body_length";

    private readonly byte[] _key;
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);

    /// <summary>Creates the authenticator; the key must have at least 16 bytes.</summary>
    public SpoolNetworkAuth(ReadOnlySpan<byte> key, TimeSpan? replayWindow = null)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException($"A network spool key needs at least 16 bytes, not {key.Length}.");
        }
        _key = key.ToArray();
        ReplayWindow = replayWindow ?? TimeSpan.FromMinutes(1);
    }

    /// <summary>How far a packet's timestamp may be from the listener's clock. Default 1 minute.</summary>
    public TimeSpan ReplayWindow { get; }

    /// <summary>Returns <paramref name="packet"/> with the authentication pair appended.</summary>
    public SpoolPacket Sign(SpoolPacket packet, ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        string seconds = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        string mac = Mac(packet, body, seconds, nonce);
        return new SpoolPacket([.. packet.Pairs, SpoolPair.FromText(AuthKey, $"v1:{seconds}:{nonce}:{mac}")], packet.Body, packet.Modifier1, packet.Modifier2);
    }

    /// <summary>
    /// Checks a received packet; on success returns it without the authentication pair, else null and why.
    /// </summary>
    public SpoolPacket? Verify(SpoolPacket packet, ReadOnlyMemory<byte> body, DateTimeOffset now, out string problem)
    {
        int last = packet.Pairs.Count - 1;
        if (last < 0 || !packet.Pairs[last].KeyEquals(AuthKey))
        {
            problem = "it is not authenticated (the listener has a key)";
            return null;
        }
        string[] parts = packet.Pairs[last].ValueText.Split(':');
        if (parts.Length != 4 || parts[0] != "v1" || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            problem = "its authentication pair is malformed";
            return null;
        }
        var unsigned = new SpoolPacket([.. packet.Pairs.Take(last)], packet.Body, packet.Modifier1, packet.Modifier2);
        byte[] expected = Encoding.ASCII.GetBytes(Mac(unsigned, body, parts[1], parts[2]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[3])))
        {
            problem = "its signature does not match (wrong key, or the packet was altered)";
            return null;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > ReplayWindow.TotalSeconds)
        {
            problem = $"its timestamp is more than {ReplayWindow} away from this clock";
            return null;
        }
        // Forget nonces older than the window; a nonce seen inside it is a replay.
        long horizon = now.ToUnixTimeSeconds() - (long)ReplayWindow.TotalSeconds * 2;
        foreach (var (old, at) in _seen)
        {
            if (at < horizon) _seen.TryRemove(old, out _);
        }
        if (!_seen.TryAdd(parts[2], seconds))
        {
            problem = "it is a replay of a packet already accepted";
            return null;
        }
        problem = "";
        return unsigned;
    }

    private string Mac(SpoolPacket unsigned, ReadOnlyMemory<byte> body, string seconds, string nonce)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.ASCII.GetBytes($"v1\n{seconds}\n{nonce}\n"));
        hmac.AppendData(SpoolPacketCodec.EncodeHeaderAndArea(new SpoolPacket(unsigned.Pairs, default, SpoolPacket.SpoolModifier1, 0)));
        hmac.AppendData(body.Span);
        return Convert.ToHexString(hmac.GetHashAndReset()).ToLowerInvariant();
    }
}
