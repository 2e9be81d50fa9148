using System.ComponentModel;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace TypedSpool;

/// <summary>Finds a payload type's metadata in a source-generated JSON context; used by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SpoolJson
{
    /// <summary>The <see cref="JsonTypeInfo{T}"/> of <typeparamref name="T"/>, or an error that says how to add it.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new InvalidOperationException(
                $"The JSON context {context.GetType().FullName} has no metadata for {typeof(T).FullName}: add [JsonSerializable(typeof({typeof(T).Name}))] to it.");
    }
}
