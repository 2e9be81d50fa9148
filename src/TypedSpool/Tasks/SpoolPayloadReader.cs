using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TypedSpool.Format;

namespace TypedSpool;

/// <summary>
/// Decodes a typed task's parameters; used by generated invokers. Any problem is a <see cref="SpoolPayloadException"/>
/// naming the task and the key.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SpoolPayloadReader
{
    /// <summary>A required string.</summary>
    public static string Text(SpoolTask task, string key) => TextOrNull(task, key) ?? throw Missing(task, key);

    /// <summary>An optional string (null when the key is absent).</summary>
    public static string? TextOrNull(SpoolTask task, string key)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.Packet.TryGetValue(key, out var value))
        {
            return null;
        }
        return SpoolPair.TryDecodeUtf8(value.Span) ?? throw new SpoolPayloadException(Name(task), key, "is not valid UTF-8");
    }

    /// <summary>Required raw bytes.</summary>
    public static byte[] Bytes(SpoolTask task, string key) => BytesOrNull(task, key) ?? throw Missing(task, key);

    /// <summary>Optional raw bytes.</summary>
    public static byte[]? BytesOrNull(SpoolTask task, string key)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Packet.TryGetValue(key, out var value) ? value.ToArray() : null;
    }

    /// <summary>A required boolean.</summary>
    public static bool Boolean(SpoolTask task, string key) => BooleanOrNull(task, key) ?? throw Missing(task, key);

    /// <summary>An optional boolean.</summary>
    public static bool? BooleanOrNull(SpoolTask task, string key) => TextOrNull(task, key) switch
    {
        null => null,
        var t when t.Equals("true", StringComparison.OrdinalIgnoreCase) || t == "1" => true,
        var t when t.Equals("false", StringComparison.OrdinalIgnoreCase) || t == "0" => false,
        var t => throw new SpoolPayloadException(Name(task), key, $"is '{t}', not true or false"),
    };

    /// <summary>A required number or Guid (invariant culture).</summary>
    public static T Parsable<T>(SpoolTask task, string key) where T : struct, ISpanParsable<T>
        => ParsableOrNull<T>(task, key) ?? throw Missing(task, key);

    /// <summary>An optional number or Guid.</summary>
    public static T? ParsableOrNull<T>(SpoolTask task, string key) where T : struct, ISpanParsable<T>
        => ParseOrNull(task, key, static (string text, out T value) => T.TryParse(text, CultureInfo.InvariantCulture, out value), ExpectedName<T>.Valid);

    /// <summary>A required <see cref="DateTime"/> in round-trip ("O") form; the kind is kept.</summary>
    public static DateTime DateTime(SpoolTask task, string key) => DateTimeOrNull(task, key) ?? throw Missing(task, key);

    /// <summary>An optional <see cref="DateTime"/>.</summary>
    public static DateTime? DateTimeOrNull(SpoolTask task, string key)
        => ParseOrNull(task, key, static (string text, out DateTime value)
            => System.DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value), "a date and time");

    /// <summary>A required <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset DateTimeOffset(SpoolTask task, string key) => DateTimeOffsetOrNull(task, key) ?? throw Missing(task, key);

    /// <summary>An optional <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset? DateTimeOffsetOrNull(SpoolTask task, string key)
        => ParseOrNull(task, key, static (string text, out DateTimeOffset value)
            => System.DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value), "a date and time with offset");

    /// <summary>A required <see cref="TimeSpan"/> in constant ("c") form.</summary>
    public static TimeSpan TimeSpan(SpoolTask task, string key) => TimeSpanOrNull(task, key) ?? throw Missing(task, key);

    /// <summary>An optional <see cref="TimeSpan"/>.</summary>
    public static TimeSpan? TimeSpanOrNull(SpoolTask task, string key)
        => ParseOrNull(task, key, static (string text, out TimeSpan value) => System.TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value), "a time span");

    /// <summary>A required enum, by name or number.</summary>
    public static T Enum<T>(SpoolTask task, string key) where T : struct, System.Enum => EnumOrNull<T>(task, key) ?? throw Missing(task, key);

    /// <summary>An optional enum.</summary>
    public static T? EnumOrNull<T>(SpoolTask task, string key) where T : struct, System.Enum
        => ParseOrNull(task, key, static (string text, out T value) => System.Enum.TryParse(text, ignoreCase: false, out value), ExpectedName<T>.Plain);

    /// <summary>A value stored as JSON; null when the key is absent.</summary>
    public static T? Json<T>(SpoolTask task, string key, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.Packet.TryGetValue(key, out var value)) return default;
        return Deserialize(task, key, value, typeInfo);
    }

    /// <summary>A value stored as JSON that must be present.</summary>
    public static T RequiredJson<T>(SpoolTask task, string key, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.Packet.TryGetValue(key, out var value)) throw Missing(task, key);
        return Deserialize(task, key, value, typeInfo) ?? throw new SpoolPayloadException(Name(task), key, "is JSON null");
    }

    /// <summary>The body as a new array.</summary>
    public static byte[] BodyBytes(SpoolTask task) => task.Body.ToArray();

    /// <summary>The body as memory over the file's bytes.</summary>
    public static ReadOnlyMemory<byte> BodyMemory(SpoolTask task) => task.Body;

    /// <summary>The body as UTF-8 text.</summary>
    public static string BodyText(SpoolTask task)
        => SpoolPair.TryDecodeUtf8(task.Body.Span) ?? throw new SpoolPayloadException(Name(task), SpoolKeys.Body, "is not valid UTF-8");

    /// <summary>The body as UTF-8 text, or null when there is no body.</summary>
    public static string? BodyTextOrNull(SpoolTask task) => task.Body.IsEmpty ? null : BodyText(task);

    /// <summary>The body as JSON; default when there is no body.</summary>
    public static T? BodyJson<T>(SpoolTask task, JsonTypeInfo<T> typeInfo)
        => task.Body.IsEmpty ? default : Deserialize(task, SpoolKeys.Body, task.Body, typeInfo);

    /// <summary>The body as JSON, which must be present.</summary>
    public static T RequiredBodyJson<T>(SpoolTask task, JsonTypeInfo<T> typeInfo)
        => task.Body.IsEmpty
            ? throw Missing(task, SpoolKeys.Body)
            : Deserialize(task, SpoolKeys.Body, task.Body, typeInfo) ?? throw new SpoolPayloadException(Name(task), SpoolKeys.Body, "is JSON null");

    /// <summary>Resolves a required service, or explains what is missing.</summary>
    public static T Service<T>(SpoolTask task, IServiceProvider services) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService(typeof(T)) is T service
            ? service
            : throw new InvalidOperationException(
                $"Task '{Name(task)}' needs a {typeof(T).FullName} from the worker's service provider, and none is registered.");
    }

    /// <summary>Resolves an optional service.</summary>
    public static T? ServiceOrNull<T>(IServiceProvider services) where T : class
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService(typeof(T)) as T;
    }

    private delegate bool TryParser<T>(string text, out T value);

    /// <summary>Error wording per type, built once rather than per decoded value.</summary>
    private static class ExpectedName<T>
    {
        public static readonly string Valid = "a valid " + typeof(T).Name;
        public static readonly string Plain = "a " + typeof(T).Name;
    }

    private static T? ParseOrNull<T>(SpoolTask task, string key, TryParser<T> parse, string expected) where T : struct
    {
        string? text = TextOrNull(task, key);
        if (text is null) return null;
        return parse(text, out var value) ? value : throw new SpoolPayloadException(Name(task), key, $"is '{Shorten(text)}', not {expected}");
    }

    private static T? Deserialize<T>(SpoolTask task, string key, ReadOnlyMemory<byte> json, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(json.Span, typeInfo);
        }
        catch (JsonException ex)
        {
            throw new SpoolPayloadException(Name(task), key, $"is not valid JSON for {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private static SpoolPayloadException Missing(SpoolTask task, string key) => new(Name(task), key, "is missing");

    private static string Name(SpoolTask task) => task.Name ?? "(unnamed)";

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
