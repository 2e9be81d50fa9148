using Cronos;
using TypedSpool.Scheduling;

namespace TypedSpool.Hosting;

/// <summary>Turns the [Timer] and [Cron] tasks of the registry into scheduler entries; cron expressions are parsed by Cronos.</summary>
internal static class Schedules
{
    public static List<ScheduledTask> FromRegistry()
    {
        var tasks = new List<ScheduledTask>();
        foreach (var descriptor in SpoolTaskRegistry.All)
        {
            if (descriptor.Every is { } every)
            {
                tasks.Add(new ScheduledTask(descriptor.Name, ScheduledTask.Every(every)));
            }
            else if (descriptor.Cron is { } cron)
            {
                tasks.Add(new ScheduledTask(descriptor.Name, Cron(descriptor.Name, cron)));
            }
        }
        return tasks;
    }

    /// <summary>Parses a 5-field cron expression, or a 6-field one with seconds first; slots are in UTC.</summary>
    public static Func<DateTimeOffset, DateTimeOffset?> Cron(string taskName, string expression)
    {
        int fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new InvalidOperationException($"Task '{taskName}' has an invalid cron expression '{expression}': {ex.Message}", ex);
        }
        return after => parsed.GetNextOccurrence(after.UtcDateTime, TimeZoneInfo.Utc) is { } next
            ? new DateTimeOffset(next, TimeSpan.Zero)
            : null;
    }
}
