using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// samples/TypedSpool.Samples.WebProducer as a real process on 127.0.0.1 (a free port chosen by Kestrel): valid
/// orders become exactly one uWSGI spool file each, with the keys any consumer reads; invalid and oversize orders are
/// refused with problem details and write nothing; a worker in another process (this one) runs the files.
/// </summary>
public sealed partial class WebProducerTests : IClassFixture<WebProducerTests.WebApp>
{
    private readonly WebApp _app;

    public WebProducerTests(WebApp app) => _app = app;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Valid_orders_return_202_and_each_writes_exactly_one_spool_file_with_the_task_and_its_payload()
    {
        var before = _app.AllFiles();
        (string Customer, string Lines, string? Note)[] orders =
        [
            ("ada@example.com", """[{"sku":"BOOK-1","quantity":2}]""", null),
            ("  bob@example.com ", """[{"sku":"PEN-7","quantity":1},{"sku":"INK-2","quantity":10}]""", "gift wrap, please"),
            ("zoë@example.com", """[{"sku":"MUG-3","quantity":1000}]""", "handle with care: ☕"),
        ];
        var accepted = new List<(Guid OrderId, string TaskFile)>();
        foreach (var (customer, lines, note) in orders)
        {
            string json = $$"""{"customer":{{JsonSerializer.Serialize(customer)}},"lines":{{lines}}{{(note is null ? "" : ",\"note\":" + JsonSerializer.Serialize(note))}}}""";
            using var response = await _app.PostAsync(json);
            string text = await response.Content.ReadAsStringAsync(Token);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} for {json}: {text}\n{_app.Output}");
            using var body = JsonDocument.Parse(text);
            accepted.Add((body.RootElement.GetProperty("orderId").GetGuid(), body.RootElement.GetProperty("taskFile").GetString()!));
        }

        var added = _app.AllFiles().Except(before).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(accepted.Select(a => Path.Combine(_app.Spool.Path, a.TaskFile)).Order(StringComparer.Ordinal), added);

        for (int i = 0; i < orders.Length; i++)
        {
            var (customer, lines, note) = orders[i];
            var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(Path.Combine(_app.Spool.Path, accepted[i].TaskFile), Token));
            // What any consumer (a TypedSpool worker, a uWSGI spooler with a Python @spool) reads:
            Assert.Equal("process_order", packet.GetText(SpoolKeys.TaskName));
            Assert.Equal("-2", packet.GetText(SpoolKeys.FixedReturn)); // uwsgidecorators' SPOOL_OK
            Assert.Equal(accepted[i].OrderId.ToString(), packet.GetText("orderId"));
            Assert.Equal(customer.Trim(), packet.GetText("customer"));
            Assert.Equal(note, packet.GetText("note")); // null: no key at all
            Assert.Null(packet.GetText(SpoolKeys.Priority));
            Assert.Null(packet.GetText(SpoolKeys.At));
            Assert.False(packet.TryGetValue("lines", out _), "the lines travel as the body, not as a key");
            Assert.Equal(Normalize(lines), Normalize(Encoding.UTF8.GetString(packet.Body.Span)));
        }
    }

    [Theory]
    [InlineData("""{"customer":"","lines":[{"sku":"BOOK-1","quantity":1}]}""", "customer")]
    [InlineData("""{"customer":"ada@example.com","lines":[]}""", "lines")]
    [InlineData("""{"customer":"ada@example.com"}""", "lines")]
    [InlineData("""{"customer":"ada@example.com","lines":[{"sku":"BOOK-1","quantity":0}]}""", "lines[0].quantity")]
    [InlineData("""{"customer":"ada@example.com","lines":[{"sku":" ","quantity":1}]}""", "lines[0].sku")]
    [InlineData("", "body")]
    [InlineData("""{"customer":""", null)] // not JSON: the framework's 400, as problem details too
    [InlineData("""{"customer":"ada@example.com","lines":[{"sku":"BOOK-1","quantity":"two"}]}""", null)]
    public async Task Invalid_orders_return_400_problem_details_and_write_nothing(string json, string? field)
    {
        var before = _app.AllFiles();

        using var response = await _app.PostAsync(json);
        string text = await response.Content.ReadAsStringAsync(Token);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {json}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        if (field is not null)
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {text}");
        }
        Assert.Equal(before, _app.AllFiles());
    }

    [Fact]
    public async Task An_order_over_the_64_KB_value_limit_returns_413_with_a_clear_message_and_writes_nothing()
    {
        var before = _app.AllFiles();
        string note = new('n', 70_000);
        string json = $$"""{"customer":"ada@example.com","lines":[{"sku":"BOOK-1","quantity":1}],"note":"{{note}}"}""";

        using var response = await _app.PostAsync(json);
        string text = await response.Content.ReadAsStringAsync(Token);

        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("note", problem.RootElement.GetProperty("field").GetString());
        Assert.Equal(70_000, problem.RootElement.GetProperty("size").GetInt64());
        Assert.Equal(65_535, problem.RootElement.GetProperty("limit").GetInt64());
        string detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("'note'", detail, StringComparison.Ordinal);
        Assert.Contains("Nothing was queued", detail, StringComparison.Ordinal);
        // Nothing at all: no task file, no temporary file, no priority directory.
        Assert.Equal(before, _app.AllFiles());
    }

    [Fact]
    public async Task Spooled_orders_run_in_a_worker_of_another_process_through_the_generated_dispatch_table()
    {
        for (int i = 1; i <= 2; i++)
        {
            using var response = await _app.PostAsync($$"""{"customer":"worker-{{i}}@example.com","lines":[{"sku":"BOOK-{{i}}","quantity":{{i}}}]}""");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        int queued = _app.Spool.TaskFiles().Length;
        Assert.True(queued >= 2);

        // The web app runs no worker. This test process is the consumer: it has the web assembly (a project
        // reference), whose generated dispatch table knows process_order.
        SpoolTaskRegistry.Include(typeof(WebProducer.OrderTasks));
        Assert.True(SpoolTaskRegistry.TryGet(WebProducer.OrderTasks.ProcessOrderName, out _));
        await using var worker = new SpoolWorker(
            new SpoolWorkerOptions { Directory = _app.Spool.Path, WatchForChanges = false, Durability = SpoolDurability.None },
            new SpoolDispatcher());
        var summary = await worker.RunOnceAsync(Token);

        Assert.Equal(queued, summary.Succeeded);
        Assert.Equal(0, summary.Retried + summary.DeadLettered + summary.Quarantined + summary.Ignored);
        Assert.Empty(_app.Spool.TaskFiles());
    }

    private static string Normalize(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>The web app as a child process on its own spool; one per test class (the tests in a class run one at a time).</summary>
    public sealed class WebApp : IAsyncLifetime
    {
        private ChildProcess? _child;
        private HttpClient? _http;

        public TempSpool Spool { get; } = new("webproducer");

        public string Output => _child is null ? "" : $"--- web app stdout:\n{_child.StandardOutput}\n--- stderr:\n{_child.StandardError}";

        public async ValueTask InitializeAsync()
        {
            // Port 0: Kestrel binds a free loopback port and logs it; no race between choosing a port and binding it.
            _child = ChildProcess.StartDotnet("TypedSpool.Samples.WebProducer", ["--spool", Spool.Path, "--urls", "http://127.0.0.1:0"]);
            var clock = Stopwatch.StartNew();
            Match match;
            while (!(match = ListeningLine().Match(_child.StandardOutput)).Success)
            {
                if (_child.Process.HasExited)
                {
                    throw new InvalidOperationException($"the web app exited with code {_child.Process.ExitCode} before listening.\n{Output}");
                }
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"the web app did not log 'Now listening on' within 30 s.\n{Output}");
                }
                await Task.Delay(50);
            }
            _http = new HttpClient { BaseAddress = new Uri(match.Groups[1].Value), Timeout = TimeSpan.FromSeconds(30) };
        }

        public async Task<HttpResponseMessage> PostAsync(string json)
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            return await _http!.PostAsync("/orders", content, TestContext.Current.CancellationToken);
        }

        /// <summary>Every file under the spool, recursively (task files, temporaries, priority directories).</summary>
        public string[] AllFiles() => [.. Directory.GetFiles(Spool.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

        public ValueTask DisposeAsync()
        {
            _http?.Dispose();
            _child?.Dispose();
            Spool.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
