using Microsoft.AspNetCore.Http.HttpResults;
using TypedSpool;
using TypedSpool.Format;
using TypedSpool.Hosting;
using WebProducer;

// A producer-only web app: POST /orders validates the order, enqueues one typed task through the generated stub
// (OrderTasks.Spool.ProcessOrder) and answers 202 Accepted with the task file's name.
//   dotnet run --project samples/TypedSpool.Samples.WebProducer -- --spool DIR --urls http://127.0.0.1:5080
//   curl -i localhost:5080/orders -H 'Content-Type: application/json' \
//        -d '{"customer":"ada@example.com","lines":[{"sku":"BOOK-1","quantity":2}]}'
// No worker runs in this process (TypedSpool:RunWorkers=false). The files are consumed by any TypedSpool worker on
// the same directory whose build has the process_order task, or by a uWSGI spooler (--spooler DIR) with a Python
// @spool def process_order(arguments): the files are uWSGI spool files.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--spool"] = "TypedSpool:Spoolers:default:Directory" });

// Loopback only: the port comes from --urls (port 0 picks a free one and logs it), the address is always 127.0.0.1.
var urls = (builder.Configuration["urls"] ?? "http://127.0.0.1:5080")
    .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Select(url => $"http://127.0.0.1:{BindingAddress.Parse(url).Port}");
builder.WebHost.UseUrls([.. urls]);

builder.Services.AddTypedSpool(builder.Configuration, options =>
{
    options.RunWorkers = false; // producer only: enqueue here, run elsewhere
    if (options.Spoolers.Count == 0)
    {
        options.Spoolers["default"] = new SpoolDirectoryOptions { Directory = Path.Combine(Path.GetTempPath(), "typedspool-orders") };
    }
});
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OrderJson.Default));
builder.Services.AddProblemDetails(); // unreadable JSON and unhandled errors answer application/problem+json too
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapPost("/orders", Results<Accepted<OrderAccepted>, ValidationProblem, ProblemHttpResult> (OrderRequest? order, ILoggerFactory loggers) =>
{
    var log = loggers.CreateLogger("WebProducer.Orders");
    var errors = Validate(order);
    if (errors.Count > 0)
    {
        return TypedResults.ValidationProblem(errors);
    }
    var orderId = Guid.NewGuid();
    try
    {
        // Durable: returns once the file and its directory entry are on disk; a worker may already be running it.
        var task = OrderTasks.Spool.ProcessOrder(orderId, order!.Customer!.Trim(), order.Lines!, order.Note);
        Log.Enqueued(log, orderId, task.FileName);
        return TypedResults.Accepted((string?)null, new OrderAccepted(orderId, task.FileName));
    }
    catch (SpoolLimitException ex)
    {
        // The uWSGI format has 16-bit lengths: a value over 64 KB is refused (never truncated) and nothing is written.
        Log.TooLarge(log, ex.Key, ex.Size);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Order too large to spool",
            detail: $"Field '{ex.Key}' is {ex.Size} bytes once encoded; a spool value holds at most {ex.Limit} bytes. Nothing was queued.",
            extensions: new Dictionary<string, object?> { ["field"] = ex.Key, ["size"] = ex.Size, ["limit"] = ex.Limit });
    }
});

app.Run();

static Dictionary<string, string[]> Validate(OrderRequest? order)
{
    var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
    if (order is null)
    {
        errors["body"] = ["A JSON order is required."];
        return errors;
    }
    if (string.IsNullOrWhiteSpace(order.Customer))
    {
        errors["customer"] = ["The customer is required."];
    }
    if (order.Lines is not { Count: > 0 })
    {
        errors["lines"] = ["An order needs at least one line."];
    }
    else
    {
        for (int i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            if (line is null || string.IsNullOrWhiteSpace(line.Sku))
            {
                errors[$"lines[{i}].sku"] = ["The SKU is required."];
            }
            if (line is not null && line.Quantity is < 1 or > 1000)
            {
                errors[$"lines[{i}].quantity"] = [$"The quantity must be between 1 and 1000, not {line.Quantity}."];
            }
        }
    }
    return errors;
}

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Order {OrderId} spooled as {TaskFile}")]
    public static partial void Enqueued(ILogger logger, Guid orderId, string taskFile);

    [LoggerMessage(2, LogLevel.Warning, "Order refused: field {Field} is {Size} bytes, over the spool's value limit")]
    public static partial void TooLarge(ILogger logger, string field, long size);
}
