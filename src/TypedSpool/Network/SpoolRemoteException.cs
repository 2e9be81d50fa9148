namespace TypedSpool.Network;

/// <summary>A network spool refused a task, or did not answer as a uWSGI spooler does.</summary>
public sealed class SpoolRemoteException : IOException
{
    /// <summary>Creates the exception.</summary>
    public SpoolRemoteException(string endpoint, string message, Exception? inner = null)
        : base($"Spool {endpoint}: {message}", inner)
    {
        Endpoint = endpoint;
    }

    /// <summary>The remote address.</summary>
    public string Endpoint { get; }
}
