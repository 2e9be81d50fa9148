using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TypedSpool.Format;

namespace TypedSpool;

/// <summary>
/// Builds the packet of a typed task; used by generated enqueue stubs. Values are written as text that uWSGI and
/// Python tools can read: UTF-8 strings, invariant round-trip forms for numbers, dates and times, names for enums,
/// JSON from a source-generated <see cref="JsonTypeInfo{T}"/> for anything else. A null value writes no key.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SpoolPayloadWriter
{
    private readonly List<SpoolPair> _pairs = new(8);
    private ReadOnlyMemory<byte> _body;

    /// <summary>Starts a packet for the task <paramref name="taskName"/>, with uwsgidecorators' <c>ud_spool_ret</c> when given.</summary>
    public SpoolPayloadWriter(string taskName, string? fixedReturn = null)
    {
        _pairs.Add(SpoolPair.FromText(SpoolKeys.TaskName, taskName));
        if (fixedReturn is not null)
        {
            _pairs.Add(SpoolPair.FromText(SpoolKeys.FixedReturn, fixedReturn));
        }
    }

    /// <summary>Writes a string as UTF-8.</summary>
    public void Text(string key, string? value)
    {
        if (value is not null) _pairs.Add(SpoolPair.FromText(key, value));
    }

    /// <summary>Writes raw bytes as the value (keys and values are bytes in the format).</summary>
    public void Bytes(string key, byte[]? value)
    {
        if (value is not null) _pairs.Add(new SpoolPair(Encoding.UTF8.GetBytes(key), value));
    }

    /// <summary>Writes a boolean as <c>true</c>/<c>false</c>.</summary>
    public void Boolean(string key, bool? value)
    {
        if (value is { } v) Text(key, v ? "true" : "false");
    }

    /// <summary>Writes a number, Guid, date or time in its invariant form (<paramref name="format"/>: "O" for dates, "c" for TimeSpan).</summary>
    public void Formattable<T>(string key, T? value, string? format = null) where T : struct, IFormattable
    {
        if (value is { } v) Text(key, v.ToString(format, CultureInfo.InvariantCulture));
    }

    /// <summary>Writes an enum by name (numbers for values without a name).</summary>
    public void Enum<T>(string key, T? value) where T : struct, System.Enum
    {
        if (value is { } v) Text(key, v.ToString());
    }

    /// <summary>Writes a value as JSON through a source-generated type info (no reflection).</summary>
    public void Json<T>(string key, T? value, JsonTypeInfo<T> typeInfo)
    {
        if (value is not null) _pairs.Add(new SpoolPair(Encoding.UTF8.GetBytes(key), JsonSerializer.SerializeToUtf8Bytes(value, typeInfo)));
    }

    /// <summary>Sets the body.</summary>
    public void Body(ReadOnlyMemory<byte> body) => _body = body;

    /// <summary>Sets the body to UTF-8 text.</summary>
    public void Body(string? body)
    {
        if (body is not null) _body = Encoding.UTF8.GetBytes(body);
    }

    /// <summary>Sets the body to JSON.</summary>
    public void BodyJson<T>(T? value, JsonTypeInfo<T> typeInfo)
    {
        if (value is not null) _body = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
    }

    /// <summary>The packet.</summary>
    public SpoolPacket ToPacket() => new(_pairs.ToArray(), _body);

    /// <summary>Writes the packet to <see cref="Spooler.Default"/> (or the spool <paramref name="options"/> names).</summary>
    public EnqueuedTask Enqueue(SpoolOptions? options) => NeedsNoLocalSpool(options)
        ? Spooler.SendToNetworkAsync(ToPacket(), options!, TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult()
        : Spooler.RequireDefault().Enqueue(ToPacket(), options);

    /// <summary>Writes the packet asynchronously: without blocking a thread when the spool is a network address.</summary>
    public Task<EnqueuedTask> EnqueueAsync(SpoolOptions? options, CancellationToken cancellationToken) => NeedsNoLocalSpool(options)
        ? Spooler.SendToNetworkAsync(ToPacket(), options!, TimeProvider.System, cancellationToken)
        : Spooler.RequireDefault().EnqueueAsync(ToPacket(), options, cancellationToken);

    /// <summary>A producer that only sends to network spools needs no default spooler.</summary>
    private static bool NeedsNoLocalSpool(SpoolOptions? options)
        => Spooler.Default is null && Network.SpoolEndpoint.IsNetworkAddress(options?.Spooler);
}
