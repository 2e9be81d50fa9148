using System.Globalization;

namespace TypedSpool.MicroBenchmarks.Memory;

/// <summary>Resident memory of this process from /proc/self/status (Linux only, as TypedSpool is).</summary>
internal static class ProcessStats
{
    /// <summary>Current resident set size (VmRSS), in bytes.</summary>
    public static long Rss() => Read("VmRSS:");

    /// <summary>Peak resident set size (VmHWM), in bytes.</summary>
    public static long PeakRss() => Read("VmHWM:");

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line.AsSpan(field.Length).Trim();
                kb = kb[..kb.IndexOf(' ')];
                return long.Parse(kb, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }

    public static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
}
