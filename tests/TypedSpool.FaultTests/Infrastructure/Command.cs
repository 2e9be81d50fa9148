using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>Runs a system command (mount, strace, mkfifo) to completion.</summary>
internal static class Command
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        using var child = ChildProcess.Start(file, arguments);
        int code = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, (child.StandardOutput + child.StandardError).Trim());
    }

    public static string? Find(string name)
    {
        foreach (var dir in new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" })
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }
}
