namespace TypedSpool.Cli;

/// <summary>Errors are one clear line on stderr, never a stack trace.</summary>
internal static class Failure
{
    public static int Report(int exitCode, string message)
    {
        Console.Error.WriteLine($"typedspool: {message}");
        return exitCode;
    }
}
