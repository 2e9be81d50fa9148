using System.Globalization;

namespace TypedSpool.Hosting.Tests;

/// <summary>Cron expressions (parsed by Cronos) as the host turns them into scheduler entries.</summary>
public class ScheduleParsingTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Fact]
    public void Five_fields_are_minute_hour_day_month_weekday_in_utc()
    {
        var next = Schedules.Cron("report", "30 2 * * 1");
        Assert.Equal(At("2030-01-07T02:30:00Z"), next(At("2030-01-01T00:00:00Z"))); // 2030-01-07 is a Monday
    }

    [Fact]
    public void Six_fields_put_seconds_first()
    {
        var next = Schedules.Cron("tick", "*/15 * * * * *");
        Assert.Equal(At("2030-01-01T00:00:15Z"), next(At("2030-01-01T00:00:00Z")));
        Assert.Equal(At("2030-01-01T00:00:30Z"), next(At("2030-01-01T00:00:15Z")));
    }

    [Fact]
    public void An_invalid_expression_fails_naming_the_task()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Schedules.Cron("report", "61 * * * *"));
        Assert.Contains("Task 'report'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'61 * * * *'", ex.Message, StringComparison.Ordinal);
    }
}
