using Microsoft.Extensions.Time.Testing;
using TypedSpool.Format;
using TypedSpool.Scheduling;
using TypedSpool.Testing;

namespace TypedSpool.Tests.Scheduling;

/// <summary>Timer slots become spool files exactly once, with a documented policy for missed slots.</summary>
public class SpoolSchedulerTests
{
    private static FakeTimeProvider ClockAt(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds).AddMilliseconds(300));

    [Fact]
    public void A_new_schedule_starts_at_its_next_slot_and_fires_each_slot_once()
    {
        using var spool = new TempSpool();
        var clock = ClockAt(1_000_000_000);
        var scheduler = new SpoolScheduler(new Spooler(spool.Path), null, [new ScheduledTask("tick", ScheduledTask.Every(TimeSpan.FromSeconds(10)))], clock);

        Assert.Equal(0, scheduler.FireDue()); // first sight: records the start, fires nothing from the past
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, scheduler.FireDue()); // 1_000_000_005: the next slot (…010) is not due
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, scheduler.FireDue()); // …010.3
        Assert.Equal(0, scheduler.FireDue()); // the same slot again: nothing

        var packet = SpoolPacketCodec.Decode(File.ReadAllBytes(Assert.Single(spool.TaskFiles())));
        Assert.Equal("tick", packet.GetText(SpoolKeys.TaskName));
        Assert.Equal("-2", packet.GetText(SpoolKeys.FixedReturn));
        Assert.Equal("1000000010", packet.GetText(SpoolKeys.Slot));
    }

    [Fact]
    public void Slots_missed_while_no_scheduler_ran_fire_once_together()
    {
        using var spool = new TempSpool();
        var clock = ClockAt(1_000_000_000);
        var task = new ScheduledTask("tick", ScheduledTask.Every(TimeSpan.FromSeconds(10)));
        new SpoolScheduler(new Spooler(spool.Path), null, [task], clock).FireDue();

        clock.Advance(TimeSpan.FromMinutes(10)); // sixty slots pass with no scheduler running
        var restarted = new SpoolScheduler(new Spooler(spool.Path), null, [task], clock);
        Assert.Equal(1, restarted.FireDue());
        Assert.Equal(0, restarted.FireDue());
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, restarted.FireDue());
        Assert.Equal(2, spool.TaskFiles().Length);
    }

    [Fact]
    public void Two_schedulers_on_one_spool_fire_each_slot_once_between_them()
    {
        using var spool = new TempSpool();
        var clock = ClockAt(1_000_000_000);
        var task = new ScheduledTask("tick", ScheduledTask.Every(TimeSpan.FromSeconds(1)));
        var a = new SpoolScheduler(new Spooler(spool.Path), null, [task], clock);
        var b = new SpoolScheduler(new Spooler(spool.Path), null, [task], clock);
        a.FireDue();
        int fired = 0;
        for (int i = 0; i < 20; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            fired += i % 2 == 0 ? a.FireDue() + b.FireDue() : b.FireDue() + a.FireDue();
        }
        Assert.Equal(20, fired);
        var slots = spool.TaskFiles().Select(f => SpoolPacketCodec.Decode(File.ReadAllBytes(f)).GetText(SpoolKeys.Slot)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (1_000_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), slots);
    }

    [Fact]
    public void A_corrupt_ledger_is_reported_with_its_path_and_nothing_is_fired()
    {
        using var spool = new TempSpool();
        var clock = ClockAt(1_000_000_000);
        Directory.CreateDirectory(spool.Combine(SpoolScheduler.LedgerDirectoryName));
        File.WriteAllText(spool.Combine(SpoolScheduler.LedgerDirectoryName, "tick.last"), "yesterday");
        var scheduler = new SpoolScheduler(new Spooler(spool.Path), null, [new ScheduledTask("tick", ScheduledTask.Every(TimeSpan.FromSeconds(1)))], clock);

        var ex = Assert.Throws<IOException>(() => scheduler.FireDue());
        Assert.Contains("tick.last", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'yesterday'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(spool.TaskFiles());
    }

    [Theory]
    [InlineData("tick", "tick.last")]
    [InlineData("mail/send now", "mail_2fsend_20now.last")]
    [InlineData("été", "_c3_a9t_c3_a9.last")]
    public void Ledger_names_are_safe_and_distinct(string task, string file) => Assert.Equal(file, SpoolScheduler.LedgerFileName(task));

    [Fact]
    public void Every_aligns_slots_to_the_epoch()
    {
        var next = ScheduledTask.Every(TimeSpan.FromMinutes(5));
        Assert.Equal(DateTimeOffset.Parse("2030-01-01T10:05:00Z", System.Globalization.CultureInfo.InvariantCulture),
            next(DateTimeOffset.Parse("2030-01-01T10:03:17Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(DateTimeOffset.Parse("2030-01-01T10:10:00Z", System.Globalization.CultureInfo.InvariantCulture),
            next(DateTimeOffset.Parse("2030-01-01T10:05:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduledTask.Every(TimeSpan.FromMilliseconds(500)));
    }
}
