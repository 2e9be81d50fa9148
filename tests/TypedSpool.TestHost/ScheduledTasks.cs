using System.Globalization;
using System.Text;
using TypedSpool;

/// <summary>Scheduled tasks that log which slot they ran for, and in which process.</summary>
public static partial class ScheduledTasks
{
    public static string LogPath { get; set; } = "";

    [Timer(1)]
    public static void EverySecond(SpoolContext context) => Log("timer", context);

    [Cron("*/2 * * * * *")]
    public static void EveryOtherSecond(SpoolContext context) => Log("cron", context);

    private static void Log(string kind, SpoolContext context)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"{kind} {context.Slot?.ToUnixTimeSeconds()} {Environment.ProcessId}\n");
        AppendLog.WriteLine(LogPath, Encoding.ASCII.GetBytes(line));
    }
}
