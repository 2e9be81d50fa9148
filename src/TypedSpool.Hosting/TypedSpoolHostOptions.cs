using TypedSpool.Storage;

namespace TypedSpool.Hosting;

/// <summary>
/// TypedSpool's configuration section (<c>"TypedSpool"</c> by default): named spool directories, as uWSGI's repeated
/// <c>--spooler</c>, and whether this process runs workers.
/// </summary>
public sealed class TypedSpoolHostOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string SectionName = "TypedSpool";

    /// <summary>Spool directories by name; <see cref="SpoolOptions.Spooler"/> picks one.</summary>
    public Dictionary<string, SpoolDirectoryOptions> Spoolers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The spool generated stubs write to when no name is given; the only one, or the one named "default", when unset.</summary>
    public string? Default { get; set; }

    /// <summary>Run workers in this process; false for a producer-only process (a web app that only enqueues). Default true.</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>Network listeners (uwsgi modifier 17) that write received tasks into a spool of this process.</summary>
    public List<SpoolListenerConfig> Listeners { get; set; } = [];
}

/// <summary>A network listener, as uWSGI's <c>--socket</c> with the spooler plugin.</summary>
public sealed class SpoolListenerConfig
{
    /// <summary><c>tcp://127.0.0.1:PORT</c> or <c>unix:PATH</c>. Required.</summary>
    public string? Address { get; set; }

    /// <summary>Spool that receives the tasks when a packet names none; the default spool when unset.</summary>
    public string? Spooler { get; set; }

    /// <summary>Listen on a non-loopback address (off by default).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>Client networks allowed to send, in CIDR form (e.g. 10.0.0.0/8); empty allows any.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Connections served at once. Default 64.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>Time a client has to send its packet. Default 5 s.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Accept a body after the packet (TypedSpool extension; uWSGI clients never send one).</summary>
    public bool AcceptBody { get; set; }

    /// <summary>Shared key (base64, 16 bytes or more) that every packet must be signed with (TypedSpool extension). Keep it in a secret store or the environment.</summary>
    public string? AuthKey { get; set; }
}

/// <summary>One spool directory and how it is consumed. Names and defaults follow uWSGI's <c>--spooler-*</c> options.</summary>
public sealed class SpoolDirectoryOptions
{
    /// <summary>The directory (uWSGI <c>--spooler</c>). Required.</summary>
    public string? Directory { get; set; }

    /// <summary>Consume this spool here; false to only write to it (uWSGI <c>--spooler-external</c>). Default true.</summary>
    public bool Consume { get; set; } = true;

    /// <summary>Tasks run at once (uWSGI <c>--spooler-processes</c>, here threads of one process). Default 1.</summary>
    public int Processes { get; set; } = 1;

    /// <summary>Full-scan interval (uWSGI <c>--spooler-frequency</c>). Default 30 s.</summary>
    public TimeSpan Frequency { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run numeric priority directories first, in order (uWSGI <c>--spooler-ordered</c>).</summary>
    public bool Ordered { get; set; }

    /// <summary>Stop the application after this many runs so a supervisor restarts it (uWSGI <c>--spooler-max-tasks</c>); 0 for no limit.</summary>
    public int MaxTasks { get; set; }

    /// <summary>Per-task time limit (uWSGI <c>--spooler-harakiri</c>); unset for none.</summary>
    public TimeSpan? Harakiri { get; set; }

    /// <summary>Log task starts and successes at Debug instead of Information (uWSGI <c>--spooler-quiet</c>).</summary>
    public bool Quiet { get; set; }

    /// <summary>Retries: runs in all before the dead-letter directory (0 = forever, as uWSGI). Default 10.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Delay before the second run; doubled each time. Default 2 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of a retry delay. Default 10 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Random spread of retry delays (0.2 = ±20%).</summary>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>Dead-letter directory; default <c>&lt;Directory&gt;/dead</c>.</summary>
    public string? DeadLetterDirectory { get; set; }

    /// <summary>Quarantine directory; default <c>&lt;Directory&gt;/quarantine</c>.</summary>
    public string? QuarantineDirectory { get; set; }

    /// <summary>fsync policy: Full (default) or None.</summary>
    public SpoolDurability Durability { get; set; } = SpoolDurability.Full;

    /// <summary>
    /// Recycle finished task files instead of unlinking them (see <see cref="SpoolWorkerOptions.RecycleFiles"/>). Default
    /// true; the host's producer recycles only when every spool does.
    /// </summary>
    public bool RecycleFiles { get; set; } = true;
}
