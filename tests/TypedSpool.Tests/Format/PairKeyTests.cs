using System.Text;
using TypedSpool.Format;

namespace TypedSpool.Tests.Format;

/// <summary>Key lookups compare UTF-8 bytes: ASCII keys without encoding, other keys through UTF-8.</summary>
public class PairKeyTests
{
    [Theory]
    [InlineData("subject", "subject", true)]
    [InlineData("subject", "Subject", false)]
    [InlineData("subject", "subjec", false)]
    [InlineData("clé", "clé", true)]
    [InlineData("clé", "cle", false)]
    [InlineData("cle", "clé", false)]
    [InlineData("ключ", "ключ", true)]
    [InlineData("ключ", "ключи", false)]
    public void KeyEquals_compares_the_utf8_bytes(string stored, string asked, bool expected)
    {
        var pair = new SpoolPair(Encoding.UTF8.GetBytes(stored), "v"u8.ToArray());

        Assert.Equal(expected, pair.KeyEquals(asked));
    }

    [Fact]
    public void A_key_that_is_not_valid_utf8_matches_no_string()
    {
        var pair = new SpoolPair(new byte[] { 0x63, 0xFF }, "v"u8.ToArray());

        Assert.False(pair.KeyEquals("c\uFFFD"));
        Assert.False(pair.KeyEquals("c"));
    }
}
