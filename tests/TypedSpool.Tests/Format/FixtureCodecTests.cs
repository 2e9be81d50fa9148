using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Format;

/// <summary>Every file real uWSGI 2.0.21 wrote decodes to what its sidecar says, and re-encodes to the same bytes.</summary>
public class FixtureCodecTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var (caseName, file, _) in Fixtures.UwsgiFiles())
        {
            data.Add(Path.GetRelativePath(Fixtures.UwsgiCases, file));
        }
        return data;
    }

    [Fact]
    public void All_fixture_cases_are_found()
    {
        // 26 cases produced a file (the refused ones have none); a missing shared/ folder must not pass silently.
        Assert.Equal(26, Cases().Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_decodes_as_its_sidecar_says_and_reencodes_byte_for_byte(string relativePath)
    {
        string file = Path.Combine(Fixtures.UwsgiCases, relativePath);
        byte[] bytes = File.ReadAllBytes(file);
        using var sidecar = JsonDocument.Parse(File.ReadAllBytes(file + ".json"));
        var expected = sidecar.RootElement;

        var packet = SpoolPacketCodec.Decode(bytes);

        var header = expected.GetProperty("header");
        Assert.Equal(header.GetProperty("modifier1").GetInt32(), packet.Modifier1);
        Assert.Equal(header.GetProperty("modifier2").GetInt32(), packet.Modifier2);
        int pktsize = header.GetProperty("pktsize").GetInt32();
        Assert.Equal(bytes.Length - SpoolPacketCodec.HeaderSize - pktsize, packet.Body.Length);

        var vars = expected.GetProperty("vars").EnumerateArray().ToArray();
        Assert.Equal(vars.Length, packet.Pairs.Count);
        for (int i = 0; i < vars.Length; i++)
        {
            AssertBytes(vars[i].GetProperty("key"), packet.Pairs[i].Key.Span, $"key {i}");
            AssertBytes(vars[i].GetProperty("value"), packet.Pairs[i].Value.Span, $"value {i}");
        }

        var body = expected.GetProperty("body");
        if (body.ValueKind == JsonValueKind.Null)
        {
            Assert.True(packet.Body.IsEmpty);
        }
        else
        {
            AssertBytes(body, packet.Body.Span, "body");
        }

        // Re-encoding the decoded pairs gives the same header and key/value area.
        byte[] reencoded = SpoolPacketCodec.EncodeHeaderAndArea(packet);
        Assert.Equal(bytes.AsSpan(0, SpoolPacketCodec.HeaderSize + pktsize).ToArray(), reencoded);
        Assert.Equal(bytes, SpoolPacketCodec.EncodeFile(packet));
    }

    private static void AssertBytes(JsonElement expected, ReadOnlySpan<byte> actual, string what)
    {
        Assert.True(expected.GetProperty("len").GetInt32() == actual.Length, $"{what}: length {actual.Length}, sidecar {expected.GetProperty("len").GetInt32()}");
        if (expected.TryGetProperty("text", out var text))
        {
            Assert.Equal(text.GetString(), Encoding.UTF8.GetString(actual));
        }
        if (expected.TryGetProperty("b64", out var b64))
        {
            Assert.Equal(b64.GetString(), Convert.ToBase64String(actual));
        }
        if (expected.TryGetProperty("sha256", out var sha))
        {
            Assert.Equal(sha.GetString(), Convert.ToHexStringLower(SHA256.HashData(actual)));
        }
        if (expected.TryGetProperty("text_prefix", out var prefix))
        {
            Assert.StartsWith(prefix.GetString()!, Encoding.UTF8.GetString(actual), StringComparison.Ordinal);
        }
    }
}
