using System.Globalization;
using System.Security.Cryptography;
using TypedSpool.Format;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>
/// The tasks of the ledger: an id, a random body, and the body's length and SHA-256 in the packet (the same shape as
/// the TestWorker's producer mode), so that any consumer can tell a whole task from a torn one.
/// </summary>
internal static class FaultTask
{
    public static SpoolPacket Create(string id, int bodyBytes, Random random, params (string Key, string Value)[] extra)
    {
        var body = new byte[bodyBytes];
        random.NextBytes(body);
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("id", id),
            new("body_len", bodyBytes.ToString(CultureInfo.InvariantCulture)),
            new("body_sha", Convert.ToHexStringLower(SHA256.HashData(body))),
        };
        pairs.AddRange(extra.Select(e => KeyValuePair.Create(e.Key, e.Value)));
        return SpoolPacket.FromText(pairs).WithBody(body);
    }

    /// <summary>True when the packet carries the checksum of exactly the body it has.</summary>
    public static bool IsWhole(SpoolPacket packet)
        => packet.GetText("body_sha") is { } sha
            && packet.GetText("body_len") == packet.Body.Length.ToString(CultureInfo.InvariantCulture)
            && sha == Convert.ToHexStringLower(SHA256.HashData(packet.Body.Span));

    /// <summary>The id of a spool file that decodes and is whole, or null.</summary>
    public static string? ReadValidId(string path)
    {
        try
        {
            var packet = SpoolPacketCodec.Decode(File.ReadAllBytes(path));
            return IsWhole(packet) ? packet.GetText("id") : null;
        }
        catch (SpoolFormatException)
        {
            return null;
        }
    }
}
