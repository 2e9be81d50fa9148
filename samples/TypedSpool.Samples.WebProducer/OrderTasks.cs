using System.Text.Json;
using System.Text.Json.Serialization;
using TypedSpool;

namespace WebProducer;

/// <summary>One line of an order, as posted and as spooled (JSON, in the task's body).</summary>
public sealed record OrderLine(string Sku, int Quantity);

/// <summary>The body of <c>POST /orders</c>. Nullable members so that a missing field is a 400, not a binding crash.</summary>
public sealed record OrderRequest(string? Customer, List<OrderLine>? Lines, string? Note);

/// <summary>The body of a 202 Accepted.</summary>
public sealed record OrderAccepted(Guid OrderId, string TaskFile);

/// <summary>Source-generated JSON for the spool payload and for the HTTP API: no reflection.</summary>
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(OrderAccepted))]
[JsonSerializable(typeof(List<OrderLine>))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
public sealed partial class OrderJson : JsonSerializerContext;

/// <summary>
/// The spool task. It is declared here so that the generator writes the <c>OrderTasks.Spool.ProcessOrder</c> stub this
/// web app enqueues through; the method itself never runs in the web app (it runs no workers). It runs in whichever
/// process consumes the spool directory: a TypedSpool worker whose build includes this type (or a task of the same wire
/// name), or a uWSGI spooler with a Python <c>@spool def process_order(arguments)</c>, since the wire name is pinned
/// and every key is plain text or JSON.
/// </summary>
[SpoolJsonContext(typeof(OrderJson))]
public static partial class OrderTasks
{
    /// <summary>The wire name (<c>ud_spool_func</c>); pinned so that renaming the method does not orphan queued files.</summary>
    public const string ProcessOrderName = "process_order";

    /// <summary>
    /// Processes one accepted order (in a worker process). The lines travel as the body, which has no size limit
    /// (analyzer TSPOOL006 asks for that of a collection); every other parameter is one key of at most 64 KB.
    /// </summary>
    [Spool(Name = ProcessOrderName)]
    public static void ProcessOrder(Guid orderId, string customer, [Body] List<OrderLine> lines, string? note, SpoolContext context)
    {
        int items = 0;
        foreach (var line in lines)
        {
            items += line.Quantity;
        }
        Console.WriteLine($"order {orderId} for {customer}: {lines.Count} lines, {items} items{(note is null ? "" : ", note: " + note)} (attempt {context.Attempt})");
    }
}
