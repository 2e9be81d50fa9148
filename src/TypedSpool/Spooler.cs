using System.Diagnostics;
using TypedSpool.Diagnostics;
using TypedSpool.Execution;
using TypedSpool.Format;
using TypedSpool.Network;
using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>
/// Writes tasks into spool directories, durably and atomically, as files that uWSGI and TypedSpool workers both run.
/// Thread-safe. The first target is the default one.
/// </summary>
public sealed class Spooler
{
    private static long s_counter;
    private static readonly string s_host = Environment.MachineName;
    private static readonly int s_processId = Environment.ProcessId;

    private readonly SpoolTarget[] _targets;
    private readonly SpoolerSettings _settings;
    private readonly Dictionary<string, FilePool>? _pools;

    /// <summary>A spooler with one spool directory, named "default".</summary>
    public Spooler(string directory, SpoolerSettings? settings = null)
        : this([new SpoolTarget("default", directory)], settings)
    {
    }

    /// <summary>A spooler with named spool directories; the first is the default.</summary>
    public Spooler(IEnumerable<SpoolTarget> targets, SpoolerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _targets = [.. targets];
        if (_targets.Length == 0)
        {
            throw new ArgumentException("A spooler needs at least one spool directory.", nameof(targets));
        }
        var duplicate = _targets.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Spool name '{duplicate.Key}' is configured more than once.", nameof(targets));
        }
        _settings = settings ?? new SpoolerSettings();
        _pools = _settings.RecycleFiles ? _targets.ToDictionary(t => t.Name, t => new FilePool(t.Directory), StringComparer.Ordinal) : null;
    }

    private static Spooler? s_default;
    private static readonly AsyncLocal<Spooler?> s_flowDefault = new();

    /// <summary>
    /// The spooler generated <c>Type.Spool.Method(...)</c> stubs write to. A console program sets it in one line
    /// (<c>Spooler.Default = new Spooler("/var/spool/app");</c>); the hosting integration sets it for you.
    /// </summary>
    public static Spooler? Default
    {
        get => s_flowDefault.Value ?? Volatile.Read(ref s_default);
        set => Volatile.Write(ref s_default, value);
    }

    /// <summary>Overrides <see cref="Default"/> for the current async flow only (tests running in parallel each get theirs).</summary>
    internal static void SetFlowDefault(Spooler? spooler) => s_flowDefault.Value = spooler;

    /// <summary>Returns <see cref="Default"/>, or throws an error that says how to set one.</summary>
    public static Spooler RequireDefault() => Default ?? throw new InvalidOperationException(
        "No default spooler is set, so a generated .Spool stub has nowhere to write. Set one at startup: "
        + "TypedSpool.Spooler.Default = new TypedSpool.Spooler(\"/var/spool/myapp\"); (or register TypedSpool with the Generic Host).");

    /// <summary>The configured spool directories.</summary>
    public IReadOnlyList<SpoolTarget> Targets => _targets;

    /// <summary>
    /// Writes one task. <paramref name="options"/> override the packet's own <c>spooler</c>, <c>priority</c> and
    /// <c>at</c> keys, which are honoured as uWSGI does when no option is given. Returns once the file is
    /// durable (with <see cref="SpoolDurability.Full"/>). Invalid input throws and writes nothing.
    /// </summary>
    public EnqueuedTask Enqueue(SpoolPacket packet, SpoolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (SpoolEndpoint.IsNetworkAddress(options?.Spooler))
        {
            // Blocking here keeps the generated stubs one call for every target; prefer EnqueueAsync on hot paths.
            return EnqueueAsync(packet, options).GetAwaiter().GetResult();
        }
        var target = ResolveTarget(options?.Spooler ?? packet.GetText(SpoolKeys.Spooler));
        packet = ApplyOptions(packet, options, _settings.TimeProvider, out string? priority, out DateTimeOffset? at);
        // The mtime is the schedule: with an injected clock, "now" is that clock's, not the file system's.
        DateTimeOffset? mtime = at ?? (ReferenceEquals(_settings.TimeProvider, TimeProvider.System) ? null : _settings.TimeProvider.GetUtcNow());

        string? taskName = packet.GetText(SpoolKeys.TaskName);
        // Tags at creation, so that samplers can decide on them.
        using var activity = SpoolTelemetry.ActivitySource.HasListeners()
            ? SpoolTelemetry.ActivitySource.StartActivity("TypedSpool enqueue " + (taskName ?? "task"), ActivityKind.Producer, default(ActivityContext),
                [new(SpoolTelemetry.TaskTag, taskName), new(SpoolTelemetry.SpoolTag, target.Directory)])
            : null;
        if (activity is not null)
        {
            packet = packet.With(SpoolKeys.TraceParent, activity.Id!);
        }

        // Validates every size before anything touches the disk.
        byte[] headerAndArea = SpoolPacketCodec.EncodeHeaderAndArea(packet);
        ReadOnlyMemory<byte>[] content = packet.Body.IsEmpty ? [headerAndArea] : [headerAndArea, packet.Body];

        string directory = priority is null ? target.Directory : Path.Combine(target.Directory, priority);
        bool durable = _settings.Durability == SpoolDurability.Full;

        for (int attempt = 0; ; attempt++)
        {
            string name = NewFileName();
            string path = Path.Combine(directory, name);
            bool written;
            try
            {
                written = DurableFile.Write(directory, name, path, content, mtime, _settings.Durability, replace: false, _pools?[target.Name]);
            }
            catch (IOException ex) when (ex.HResult == Libc.ENOENT && attempt == 0)
            {
                // The directory is created on the first write that misses it, rather than checked on every enqueue
                // (another thread may have created it since: EnsureDirectory then does nothing).
                NativeFile.EnsureDirectory(directory, durable);
                continue;
            }
            catch (Exception ex) when (activity is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, ex.Message);
                throw;
            }
            if (written)
            {
                activity?.SetTag("typedspool.file", path);
                SpoolSignals.Notify(target.Directory);
                SpoolTelemetry.Enqueued.Add(1, new KeyValuePair<string, object?>(SpoolTelemetry.TaskTag, taskName),
                    new KeyValuePair<string, object?>(SpoolTelemetry.SpoolTag, target.Directory));
                return new EnqueuedTask(path, target.Name, priority is null ? null : int.Parse(priority, System.Globalization.CultureInfo.InvariantCulture), at);
            }
            if (attempt >= 3)
            {
                throw new IOException($"Could not find a free spool file name in '{directory}' after {attempt + 1} tries.");
            }
        }
    }

    /// <summary>
    /// Writes one task, to a local spool (as <see cref="Enqueue"/>) or, when <see cref="SpoolOptions.Spooler"/> is a
    /// network address (<c>tcp://host:port</c>, <c>unix:path</c>), to a remote TypedSpool listener or uWSGI spooler,
    /// which resolves <c>priority</c>, <c>at</c> and <c>spooler</c> on its side. Completes once the task is durable there.
    /// </summary>
    public async Task<EnqueuedTask> EnqueueAsync(SpoolPacket packet, SpoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (!SpoolEndpoint.IsNetworkAddress(options?.Spooler))
        {
            return Enqueue(packet, options);
        }
        return await SendToNetworkAsync(packet, options!, _settings.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a task to the network spool <see cref="SpoolOptions.Spooler"/> names; needs no local spool.</summary>
    internal static async Task<EnqueuedTask> SendToNetworkAsync(SpoolPacket packet, SpoolOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = SpoolEndpoint.Parse(options.Spooler!);
        packet = ApplyOptions(packet, options, time, out string? priority, out DateTimeOffset? at);
        await SpoolNetworkClient.SendAsync(endpoint, packet, cancellationToken: cancellationToken).ConfigureAwait(false);
        SpoolTelemetry.Enqueued.Add(1, new KeyValuePair<string, object?>(SpoolTelemetry.TaskTag, packet.GetText(SpoolKeys.TaskName)),
            new KeyValuePair<string, object?>(SpoolTelemetry.SpoolTag, endpoint.Text));
        return new EnqueuedTask(endpoint.Text, endpoint.Text, priority is null ? null : int.Parse(priority, System.Globalization.CultureInfo.InvariantCulture), at);
    }

    /// <summary>Writes the options into the packet's <c>priority</c> and <c>at</c> keys, and validates those keys.</summary>
    private static SpoolPacket ApplyOptions(SpoolPacket packet, SpoolOptions? options, TimeProvider time, out string? priority, out DateTimeOffset? at)
    {
        if (options?.Priority is { } p)
        {
            priority = SpoolSchedule.FormatPriority(p);
            packet = packet.With(SpoolKeys.Priority, priority);
        }
        else
        {
            priority = SpoolSchedule.ValidatePriority(packet.GetText(SpoolKeys.Priority));
        }

        if (options is { At: not null, Delay: not null })
        {
            throw new ArgumentException("SpoolOptions.At and SpoolOptions.Delay are exclusive; set one.");
        }
        DateTimeOffset? requested = options?.At;
        if (options?.Delay is { } delay)
        {
            requested = time.GetUtcNow() + delay;
        }
        if (requested is { } when)
        {
            at = when;
            packet = packet.With(SpoolKeys.At, SpoolSchedule.FormatAt(when));
        }
        else
        {
            at = SpoolSchedule.ParseAt(packet.GetText(SpoolKeys.At));
        }
        return packet;
    }

    /// <summary>Finds a target by name, or by directory path as uWSGI's <c>spooler</c> key does; null means the default.</summary>
    public SpoolTarget ResolveTarget(string? nameOrDirectory)
    {
        if (string.IsNullOrEmpty(nameOrDirectory))
        {
            return _targets[0];
        }
        foreach (var target in _targets)
        {
            if (string.Equals(target.Name, nameOrDirectory, StringComparison.Ordinal))
            {
                return target;
            }
        }
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(nameOrDirectory));
        foreach (var target in _targets)
        {
            if (string.Equals(target.Directory, full, StringComparison.Ordinal))
            {
                return target;
            }
        }
        throw new ArgumentException(
            $"Unknown spooler '{nameOrDirectory}'. Configured: {string.Join(", ", _targets.Select(t => $"{t.Name} ({t.Directory})"))}.");
    }

    private string NewFileName()
    {
        var now = _settings.TimeProvider.GetUtcNow();
        long micros = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var name = new SpoolFileName(
            s_host,
            s_processId,
            (ulong)Interlocked.Increment(ref s_counter),
            (ulong)Random.Shared.Next(),
            (ulong)(micros / 1_000_000),
            (ulong)(micros % 1_000_000));
        Debug.Assert(SpoolFileName.HasTaskPrefix(name.ToString()));
        return name.ToString();
    }
}
