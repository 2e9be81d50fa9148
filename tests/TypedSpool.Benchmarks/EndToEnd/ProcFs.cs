using System.Globalization;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>What the harness reads from /proc: peak memory of a process and facts about the machine.</summary>
internal static class ProcFs
{
    /// <summary>VmHWM (peak resident set) of a process in KiB; <paramref name="pid"/> "self" for this one. Null once it is gone.</summary>
    public static long? PeakRssKb(string pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static string Kernel() => File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "unknown";

    /// <summary>File-system type and device of the mount that holds <paramref name="path"/> (longest mount-point prefix).</summary>
    public static string FileSystemOf(string path)
    {
        string full = Path.GetFullPath(path);
        string best = "", type = "unknown", device = "";
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var parts = line.Split(' ');
            if (parts.Length < 3) continue;
            string mount = parts[1];
            bool contains = full == mount || full.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (contains && mount.Length >= best.Length)
            {
                (best, device, type) = (mount, parts[0], parts[2]);
            }
        }
        return $"{type} ({device} on {best})";
    }
}
