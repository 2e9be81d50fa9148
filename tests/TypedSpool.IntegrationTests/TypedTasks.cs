using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace TypedSpool.IntegrationTests;

public sealed record Invoice(string Number, decimal Total, IReadOnlyList<string> Lines);

[JsonSerializable(typeof(Invoice))]
internal sealed partial class InteropJson : JsonSerializerContext;

/// <summary>Typed tasks compiled by the real generator in this test assembly.</summary>
[SpoolJsonContext(typeof(InteropJson))]
public static partial class GreetingTasks
{
    public static readonly ConcurrentQueue<string> Calls = new();

    /// <summary>Named like the Python function that spools it, so uWSGI producers and this worker agree.</summary>
    [Spool(Name = "greet_user")]
    public static void Greet(string name, int times, bool? polite, DateTime? since, SpoolContext context)
        => Calls.Enqueue($"{name}|{times}|{polite?.ToString() ?? "null"}|{since?.ToString("O") ?? "null"}|{since?.Kind.ToString() ?? "-"}|attempt {context.Attempt}");

    [Spool]
    public static async Task Bill(Invoice invoice, [Body] byte[] pdf, CancellationToken cancellationToken)
    {
        await Task.Delay(1, cancellationToken);
        Calls.Enqueue($"{invoice.Number}|{invoice.Total}|{string.Join(",", invoice.Lines)}|{pdf.Length}");
    }

    [SpoolRaw]
    public static SpoolResult Decide(string verdict) => verdict switch
    {
        "ok" => SpoolResult.Ok,
        "ignore" => SpoolResult.Ignore,
        _ => SpoolResult.Retry,
    };
}
