namespace TypedSpool.Cli;

/// <summary>Process exit codes of the tool (documented in the README).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad arguments or input (System.CommandLine also uses 1 for parse errors).</summary>
    public const int InvalidInput = 1;
    /// <summary>A file or directory is missing or cannot be read or written.</summary>
    public const int IoError = 2;
    /// <summary>A spool file is not a valid uwsgi packet.</summary>
    public const int InvalidSpoolFile = 3;
    /// <summary>A task is running in a worker (locked), so it was left alone.</summary>
    public const int Busy = 4;
}
