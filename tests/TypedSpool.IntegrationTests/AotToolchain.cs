namespace TypedSpool.IntegrationTests;

/// <summary>What a NativeAOT publish needs on this machine besides the SDK.</summary>
internal static class AotToolchain
{
    /// <summary>Why NativeAOT cannot link here, or null: it needs a C toolchain (clang, or gcc as fallback) and zlib's headers.</summary>
    public static string? Missing()
    {
        var missing = new List<string>();
        if (Linker() is null) missing.Add("clang or gcc");
        if (!File.Exists("/usr/include/zlib.h")) missing.Add("zlib headers (/usr/include/zlib.h, Debian's zlib1g-dev)");
        return missing.Count == 0
            ? null
            : $"NativeAOT needs {string.Join(" and ", missing)}; tests/run-all.sh installs clang and zlib1g-dev when it runs as root or with sudo";
    }

    public static string? Linker()
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => new[] { Path.Combine(dir, "clang"), Path.Combine(dir, "gcc") })
            .Where(File.Exists)
            .OrderBy(path => path.EndsWith("/clang", StringComparison.Ordinal) ? 0 : 1) // NativeAOT prefers clang
            .Select(Path.GetFileName)
            .FirstOrDefault();
}
