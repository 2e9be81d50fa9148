using TypedSpool.Format;

namespace TypedSpool.Tests.Format;

/// <summary>The reader never trusts a length: each defect is a typed error with the offset where it starts.</summary>
public class PacketDecodeErrorTests
{
    private static byte[] Bytes(params int[] values) => values.Select(v => (byte)v).ToArray();

    public static TheoryData<string, byte[], SpoolFormatError, long> Defects() => new()
    {
        { "empty file", Bytes(), SpoolFormatError.HeaderTruncated, 0 },
        { "two bytes", Bytes(17, 0), SpoolFormatError.HeaderTruncated, 0 },
        { "area longer than file", Bytes(17, 10, 0, 0, 1, 0, (byte)'k'), SpoolFormatError.AreaOverrunsFile, 1 },
        { "area of 65535 and nothing else", Bytes(17, 0xff, 0xff, 0), SpoolFormatError.AreaOverrunsFile, 1 },
        { "zero key length", Bytes(17, 4, 0, 0, 0, 0, 0, 0), SpoolFormatError.ZeroKeyLength, 4 },
        { "stray trailing byte", Bytes(17, 6, 0, 0, 1, 0, (byte)'k', 0, 0, /* stray */ 9), SpoolFormatError.KeyLengthTruncated, 9 },
        { "two stray trailing bytes", Bytes(17, 2, 0, 0, 1, 0), SpoolFormatError.KeyLengthTruncated, 4 },
        { "key overruns area", Bytes(17, 4, 0, 0, 9, 0, (byte)'k', (byte)'k', 0, 0), SpoolFormatError.KeyOverrunsArea, 4 },
        { "value length cut off", Bytes(17, 4, 0, 0, 1, 0, (byte)'k', 0), SpoolFormatError.ValueLengthTruncated, 7 },
        { "value overruns area", Bytes(17, 6, 0, 0, 1, 0, (byte)'k', 5, 0, (byte)'v', /* body */ 1, 2, 3, 4), SpoolFormatError.ValueOverrunsArea, 7 },
        { "second pair's value overruns", Bytes(17, 11, 0, 0, 1, 0, (byte)'a', 0, 0, 1, 0, (byte)'b', 2, 0, (byte)'x', /* body */ 0), SpoolFormatError.ValueOverrunsArea, 12 },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void Defect_is_reported_with_kind_and_offset(string what, byte[] file, SpoolFormatError error, long offset)
    {
        var ex = Assert.Throws<SpoolFormatException>(() => SpoolPacketCodec.Decode(file));
        Assert.True(error == ex.Error, $"{what}: {ex.Message}");
        Assert.Equal(offset, ex.Offset);
        Assert.Contains($"offset {offset}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_area_is_valid_and_the_rest_is_body()
    {
        var packet = SpoolPacketCodec.Decode(Bytes(17, 0, 0, 0, 42, 43));
        Assert.Empty(packet.Pairs);
        Assert.Equal(Bytes(42, 43), packet.Body.ToArray());
    }

    [Fact]
    public void Header_bytes_are_not_checked_as_uwsgi_does_not()
    {
        var packet = SpoolPacketCodec.Decode(Bytes(0, 5, 0, 9, 1, 0, (byte)'k', 0, 0));
        Assert.Equal(0, packet.Modifier1);
        Assert.Equal(9, packet.Modifier2);
        Assert.Equal("k", Assert.Single(packet.Pairs).KeyText);
    }

    [Fact]
    public void Duplicate_keys_are_kept_and_lookup_returns_the_last()
    {
        var packet = new SpoolPacket([SpoolPair.FromText("a", "1"), SpoolPair.FromText("a", "2")]);
        var decoded = SpoolPacketCodec.Decode(SpoolPacketCodec.EncodeFile(packet));
        Assert.Equal(2, decoded.Pairs.Count);
        Assert.Equal("2", decoded.GetText("a"));
    }
}
