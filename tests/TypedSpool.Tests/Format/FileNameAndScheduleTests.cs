using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Format;

public class FileNameAndScheduleTests
{
    [Fact]
    public void Name_formats_like_uwsgi_and_parses_back_with_underscores_in_the_host()
    {
        var name = new SpoolFileName("my_host-1.example", 4242, 7, 1804289383, 1795708160, 24534);
        Assert.Equal("uwsgi_spoolfile_on_my_host-1.example_4242_7_1804289383_1795708160_24534", name.ToString());
        Assert.True(SpoolFileName.TryParse(name.ToString(), out var parsed));
        Assert.Equal(name, parsed);
    }

    [Fact]
    public void Every_fixture_name_parses()
    {
        foreach (var (_, file, _) in Fixtures.UwsgiFiles())
        {
            Assert.True(SpoolFileName.TryParse(Path.GetFileName(file), out var parsed), file);
            Assert.Equal("vm", parsed!.Value.Host);
        }
    }

    [Theory]
    [InlineData("uwsgi_spoolfile_on_")]
    [InlineData("uwsgi_spoolfile_on_host_1_2_3_4")]
    [InlineData("uwsgi_spoolfile_on__1_2_3_4_5")]
    [InlineData("uwsgi_spoolfile_on_h_1_2_3_4_x")]
    [InlineData("UWSGI_spoolfile_on_h_1_2_3_4_5")]
    [InlineData("other_h_1_2_3_4_5")]
    public void Bad_names_do_not_parse(string name) => Assert.False(SpoolFileName.TryParse(name, out _));

    [Fact]
    public void Version_sort_orders_numbers_numerically_and_leading_zeros_first()
    {
        string[] names = ["10", "2", "1", "003", "uwsgi_spoolfile_on_h_1000_1", "uwsgi_spoolfile_on_h_999_1", "uwsgi_spoolfile_on_h_999_10", "uwsgi_spoolfile_on_h_999_9"];
        var sorted = names.Order(VersionSortComparer.Instance).ToArray();
        Assert.Equal(["003", "1", "2", "10", "uwsgi_spoolfile_on_h_999_1", "uwsgi_spoolfile_on_h_999_9", "uwsgi_spoolfile_on_h_999_10", "uwsgi_spoolfile_on_h_1000_1"], sorted);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("high")]
    [InlineData("-1")]
    [InlineData("1 ")]
    [InlineData("١")] // Arabic-Indic digit: not ASCII
    [InlineData("1234567890")]
    public void Priority_must_be_ascii_digits(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => SpoolSchedule.ValidatePriority(value));
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_priority_means_none() => Assert.Null(SpoolSchedule.ValidatePriority(""));

    [Theory]
    [InlineData("4102444800", 4102444800L)]
    [InlineData("4102444800.999", 4102444800L)]
    [InlineData("4102444800.", 4102444800L)]
    public void At_parses_like_uwsgi_dropping_the_fraction(string text, long seconds)
        => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), SpoolSchedule.ParseAt(text));

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    public void At_of_zero_or_empty_is_ignored(string text) => Assert.Null(SpoolSchedule.ParseAt(text));

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("12x")]
    [InlineData("1.5e3")]
    [InlineData("99999999999999999999")]
    public void At_that_is_not_unix_seconds_is_refused(string text)
        => Assert.Contains(text, Assert.Throws<ArgumentException>(() => SpoolSchedule.ParseAt(text)).Message, StringComparison.Ordinal);
}
