using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>Starts a TestWorker process (worker or producer) under strace with a syscall fault injected.</summary>
internal static class Strace
{
    public static string PathOrSkip()
    {
        string? strace = Command.Find("strace");
        if (strace is null)
        {
            Assert.Skip("strace is not installed (apt-get install strace)");
        }
        return strace;
    }

    /// <summary>
    /// <paramref name="straceArguments"/> go before the program, e.g. <c>-e inject=fsync:error=EIO:when=3</c>.
    /// <c>-f</c> follows the runtime's threads; the trace goes to /dev/null unless the arguments add their own <c>-o</c>.
    /// </summary>
    public static ChildProcess StartTestWorker(IEnumerable<string> straceArguments, IEnumerable<string> programArguments, string? readyLine = null)
        => ChildProcess.Start(PathOrSkip(),
            ["-f", "-qq", "-o", "/dev/null", .. straceArguments, "dotnet", Path.Combine(AppContext.BaseDirectory, "TypedSpool.TestWorker.dll"), .. programArguments],
            readyLine);

    /// <summary>Skips when ptrace is not allowed here (a container without CAP_SYS_PTRACE).</summary>
    public static void SkipIfPtraceDenied(ChildProcess child)
    {
        string stderr = child.StandardError;
        if (stderr.Contains("PTRACE", StringComparison.Ordinal) || stderr.Contains("Operation not permitted", StringComparison.Ordinal))
        {
            Assert.Skip($"strace cannot trace here: {stderr.Trim()}");
        }
    }
}
