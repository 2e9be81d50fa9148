using TypedSpool.Format;

namespace TypedSpool.Tests.Format;

/// <summary>The writer rejects what uWSGI would truncate, and names the key and the sizes.</summary>
public class PacketEncodeLimitTests
{
    [Fact]
    public void Value_of_65536_bytes_is_rejected_with_key_and_sizes()
    {
        var packet = new SpoolPacket([SpoolPair.FromText("small", "x"), new SpoolPair("big"u8.ToArray(), new byte[65536])]);
        var ex = Assert.Throws<SpoolLimitException>(() => SpoolPacketCodec.EncodeFile(packet));
        Assert.Equal("big", ex.Key);
        Assert.Equal(65536, ex.Size);
        Assert.Equal(65535, ex.Limit);
        Assert.Contains("'big'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("65536", ex.Message, StringComparison.Ordinal);
        Assert.Contains("body", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_of_65536_bytes_is_rejected_and_named_shortened()
    {
        var key = new byte[65536];
        Array.Fill(key, (byte)'k');
        var ex = Assert.Throws<SpoolLimitException>(() => SpoolPacketCodec.EncodeFile(new SpoolPacket([new SpoolPair(key, default)])));
        Assert.StartsWith("kkkk", ex.Key, StringComparison.Ordinal);
        Assert.Contains("65536 bytes", ex.Key, StringComparison.Ordinal);
        Assert.True(ex.Key.Length < 100);
    }

    [Fact]
    public void Area_of_65536_bytes_is_rejected_naming_the_largest_pair()
    {
        // 1 + 65530 + 4 = 65535 is the fixture's limit; one more byte in another pair tips it over.
        var packet = new SpoolPacket([new SpoolPair("v"u8.ToArray(), new byte[65525]), SpoolPair.FromText("a", "b")]);
        var ex = Assert.Throws<SpoolLimitException>(() => SpoolPacketCodec.EncodeHeaderAndArea(packet));
        Assert.Equal("v", ex.Key);
        Assert.Equal(65536, ex.Size);
    }

    [Fact]
    public void Area_of_exactly_65535_bytes_is_accepted()
    {
        var packet = new SpoolPacket([new SpoolPair("v"u8.ToArray(), new byte[65530])], new byte[16]);
        byte[] file = SpoolPacketCodec.EncodeFile(packet);
        Assert.Equal(65539 + 16, file.Length);
        Assert.Equal(new byte[] { 17, 0xff, 0xff, 0 }, file[..4]);
    }

    [Fact]
    public void Empty_key_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => SpoolPacketCodec.EncodeFile(new SpoolPacket([new SpoolPair(default, "v"u8.ToArray())])));
        Assert.Contains("empty key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hello_world_matches_the_bytes_uwsgi_writes()
    {
        // From the reference: {b'hello': b'world'} is 11 0e 00 00 05 00 68 65 6c 6c 6f 05 00 77 6f 72 6c 64.
        var bytes = SpoolPacketCodec.EncodeFile(new SpoolPacket([SpoolPair.FromText("hello", "world")]));
        Assert.Equal("110e0000050068656c6c6f0500776f726c64", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void With_replaces_every_pair_of_a_key_at_the_first_place()
    {
        var packet = new SpoolPacket([SpoolPair.FromText("a", "1"), SpoolPair.FromText("b", "2"), SpoolPair.FromText("a", "3")]);
        var updated = packet.With("a", "9");
        Assert.Equal(["a=9", "b=2"], updated.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
        Assert.Equal(["a=9", "b=2", "c=0"], updated.With("c", "0").Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
    }

    [Fact]
    public void Without_drops_every_pair_of_the_keys_and_keeps_the_body()
    {
        var packet = new SpoolPacket([SpoolPair.FromText("a", "1"), SpoolPair.FromText("b", "2"), SpoolPair.FromText("a", "3"), SpoolPair.FromText("c", "4")], "B"u8.ToArray());
        var without = packet.Without("a", "c");
        Assert.Equal(["b=2"], without.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));
        Assert.Equal("B"u8.ToArray(), without.Body.ToArray());
        Assert.Same(packet, packet.Without("absent"));
    }
}
