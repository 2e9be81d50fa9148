using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// Interop with a real uWSGI 2.0 (Debian's uwsgi + python3 plugin + uwsgidecorators): uWSGI's spooler runs files
/// written by <c>typedspool send</c>, TypedSpool's worker runs files written by <c>uwsgi.spool</c>, and both consume
/// one directory at the same time without running a task twice. The Python side lives in <c>Uwsgi/*.py</c>.
/// Skipped (never passed) when uWSGI or its python3 plugin is not installed.
/// </summary>
public sealed class UwsgiInteropTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uwsgi_spooler_runs_files_written_by_typedspool_send_with_the_exact_pairs_and_body()
    {
        RequireUwsgi();
        using var spool = new TempSpool("uwsgi-consumes");
        using var work = new TempSpool("uwsgi-consumes-work");
        string outDir = work.Combine("out");
        Directory.CreateDirectory(outDir);
        byte[] body = BodyBytes(70_000);
        string bodyFile = work.Combine("body.bin");
        await File.WriteAllBytesAsync(bodyFile, body, Token);
        long future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        string futureText = future.ToString(CultureInfo.InvariantCulture);

        var sent = new List<SentTask>();
        async Task<string> Send(string label, string[] options, string[] pairs, (string Key, string Value)[] expected, byte[]? expectedBody = null)
        {
            var (code, stdout, stderr) = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["send", "--spool", spool.Path, .. options, .. pairs]);
            Assert.True(code == 0, $"typedspool send ({label}) failed with {code}: {stderr}");
            string path = stdout.Trim();
            Assert.True(File.Exists(path), $"typedspool send ({label}) printed '{path}', which does not exist");
            sent.Add(new SentTask(label, path, [.. expected.Select(p => (Encoding.UTF8.GetBytes(p.Key), Encoding.UTF8.GetBytes(p.Value)))], expectedBody ?? []));
            return path;
        }

        await Send("plain", [], ["task=plain", "to=user@example.com", "subject=Hello there", "empty=", "expr=a=b"],
            [("task", "plain"), ("to", "user@example.com"), ("subject", "Hello there"), ("empty", ""), ("expr", "a=b")]);
        await Send("utf8", [], ["task=utf8", "clé-ключ=héllo wörld 日本語 🚀✓", "emoji=🚀"],
            [("task", "utf8"), ("clé-ключ", "héllo wörld 日本語 🚀✓"), ("emoji", "🚀")]);
        await Send("body", ["--body-file", bodyFile], ["task=body"], [("task", "body")], body);
        string prioPath = await Send("priority", ["--priority", "3"], ["task=prio"], [("task", "prio"), ("priority", "3")]);
        string pastPath = await Send("at-past", ["--at", "1000000000"], ["task=past"], [("task", "past"), ("at", "1000000000")]);
        string udPath = await Send("decorated", [], ["ud_spool_func=ud_record", "ud_spool_ret=-2", "key=value", "ü=ö"],
            [("ud_spool_func", "ud_record"), ("ud_spool_ret", "-2"), ("key", "value"), ("ü", "ö")]);
        var (futureCode, futureOut, futureErr) = await ChildProcess.RunDotnetAsync("TypedSpool.Cli", ["send", "--spool", spool.Path, "--at", futureText, "task=future"]);
        Assert.True(futureCode == 0, $"typedspool send (at-future) failed with {futureCode}: {futureErr}");
        string futurePath = futureOut.Trim();

        // What uWSGI keys on: the priority subdirectory and the mtime.
        Assert.Equal(Path.Combine(spool.Path, "3"), Path.GetDirectoryName(prioPath));
        Assert.Equal(1_000_000_000, new DateTimeOffset(File.GetLastWriteTimeUtc(pastPath)).ToUnixTimeSeconds());
        Assert.Equal(future, new DateTimeOffset(File.GetLastWriteTimeUtc(futurePath)).ToUnixTimeSeconds());

        using var uwsgi = UwsgiInstance.Start(
            ["--master", "--spooler", spool.Path, "--spooler-ordered", "--spooler-frequency", "1", "--import", "consumer_handler"],
            work.Combine("uwsgi.log"), new Dictionary<string, string> { ["TYPEDSPOOL_OUT"] = outDir });

        string Record(SentTask t) => Path.Combine(outDir, Path.GetFileName(t.Path) + ".json");
        string udRecord = Path.Combine(outDir, "ud-" + Path.GetFileName(udPath) + ".json");
        await WaitUntilAsync(
            () => sent.All(t => File.Exists(Record(t))) && File.Exists(udRecord) && AllTaskFiles(spool.Path).SequenceEqual([futurePath]),
            uwsgi,
            () => $"uWSGI did not run every task: records {string.Join(", ", Directory.GetFiles(outDir).Select(Path.GetFileName))}; "
                + $"spool still holds {string.Join(", ", AllTaskFiles(spool.Path))}");

        var problems = new List<string>();
        foreach (var task in sent)
        {
            using var record = JsonDocument.Parse(await File.ReadAllTextAsync(Record(task), Token));
            var actual = record.RootElement.GetProperty("items").EnumerateArray().Select(item => new ReceivedItem(
                item.GetProperty("key_type").GetString()!, Convert.FromBase64String(item.GetProperty("key").GetString()!),
                item.GetProperty("value_type").GetString()!, Convert.FromBase64String(item.GetProperty("value").GetString()!))).ToList();

            // The python3 plugin's dict: 'spooler_task_name' (str key), every pair as bytes -> bytes in file order,
            // then 'body' (str key) when the file has a body.
            var expected = new List<ReceivedItem> { new("str", "spooler_task_name"u8.ToArray(), "bytes", Encoding.UTF8.GetBytes(Path.GetFileName(task.Path))) };
            expected.AddRange(task.Pairs.Select(p => new ReceivedItem("bytes", p.Key, "bytes", p.Value)));
            if (task.Body.Length > 0)
            {
                expected.Add(new ReceivedItem("str", "body"u8.ToArray(), "bytes", task.Body));
            }
            var expectedText = expected.Select(i => i.Describe()).ToList();
            var actualText = actual.Select(i => i.Describe()).ToList();
            if (!expectedText.SequenceEqual(actualText))
            {
                problems.Add($"{task.Label}: uWSGI handed the handler\n    [{string.Join(", ", actualText)}]\n  expected\n    [{string.Join(", ", expectedText)}]");
            }
            if (task.Body.Length > 0 && !actual.Any(i => i.KeyType == "str" && i.Key.AsSpan().SequenceEqual("body"u8) && i.Value.AsSpan().SequenceEqual(task.Body)))
            {
                problems.Add($"{task.Label}: the body did not arrive byte for byte");
            }
            int result = record.RootElement.GetProperty("result").GetInt32();
            if (result != -2)
            {
                problems.Add($"{task.Label}: handler returned {result}, expected -2 (SPOOL_OK)");
            }
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n" + uwsgi.ReadLog());

        // The @spool function of uwsgidecorators got the decoded dict (task name included).
        using (var ud = JsonDocument.Parse(await File.ReadAllTextAsync(udRecord, Token)))
        {
            var arguments = ud.RootElement.GetProperty("arguments").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").ToList();
            Assert.Equal(
                [$"spooler_task_name={Path.GetFileName(udPath)}", "ud_spool_func=ud_record", "ud_spool_ret=-2", "key=value", "ü=ö"],
                arguments);
        }

        // Each task ran once; the future one did not run and is still there; priority ran from its subdirectory.
        var runs = ReadRuns(Path.Combine(outDir, "runs.log"));
        Assert.Equal(sent.Select(t => Path.GetFileName(t.Path)).Order(StringComparer.Ordinal), runs.Select(r => r.Task).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(runs, r => r.Task == Path.GetFileName(futurePath));
        Assert.True(File.Exists(futurePath), "uWSGI must not run (nor delete) a task whose mtime is in the future");
        // --spooler-ordered: the priority directory comes before the top-level files.
        Assert.Equal(Path.GetFileName(prioPath), runs[0].Task);
        string log = uwsgi.ReadLog();
        Assert.DoesNotContain("Traceback", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypedSpool_worker_runs_files_written_by_uwsgi_spool_exactly_once()
    {
        RequireUwsgi();
        using var spool = new TempSpool("uwsgi-produces");
        using var work = new TempSpool("uwsgi-produces-work");
        string done = work.Combine("done.json");

        // uWSGI as a producer only: --spooler-external declares the directory without forking a spooler.
        string manifestText;
        using (var uwsgi = UwsgiInstance.Start(
            ["--master", "--spooler-external", spool.Path, "--import", "producer"],
            work.Combine("uwsgi.log"), new Dictionary<string, string> { ["TYPEDSPOOL_DONE"] = done }))
        {
            await WaitUntilAsync(() => File.Exists(done), uwsgi, () => "the uWSGI producer did not write its manifest");
            manifestText = await File.ReadAllTextAsync(done, Token);
            Assert.False(manifestText.Contains("\"error\"", StringComparison.Ordinal), "the uWSGI producer failed:\n" + manifestText + "\n" + uwsgi.ReadLog());
            Assert.DoesNotContain("managing request", uwsgi.ReadLog(), StringComparison.Ordinal); // nothing consumed them
        }

        var expected = new Dictionary<string, ExpectedRun>(StringComparer.Ordinal)
        {
            ["plain"] = new([("task", "plain"), ("to", "user@example.com"), ("subject", "Hello there")], [], null, null),
            ["utf8"] = new([("task", "utf8"), ("clé-ключ", "héllo wörld 日本 🚀")], [], null, null),
            ["body"] = new([("task", "bigbody")], BodyBytes(100_000), null, null),
            ["priority"] = new([("task", "prio"), ("priority", "2")], [], 2, null),
            ["decorated"] = new([("ud_spool_func", "interop_decorated"), ("ud_spool_ret", "-2"), ("task", "decorated"), ("who", "wörld")], [], null, "interop_decorated"),
        };
        // Version-sorted ordered scan: priority directory first, then the producer's files by counter.
        string[] expectedOrder = ["priority", "plain", "utf8", "body", "decorated"];

        var files = new Dictionary<string, string>(StringComparer.Ordinal); // file name -> label
        using (var manifest = JsonDocument.Parse(manifestText))
        {
            foreach (var task in manifest.RootElement.GetProperty("tasks").EnumerateArray())
            {
                string label = task.GetProperty("label").GetString()!;
                string path = task.GetProperty("path").GetString()!;
                Assert.True(File.Exists(path), $"uWSGI returned {path} for '{label}' but there is no such file");
                var pairs = task.GetProperty("pairs").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).ToList();
                Assert.Equal(expected[label].Pairs, pairs); // the producer spooled what this test expects
                Assert.Equal(expected[label].Body.Length, task.GetProperty("body_len").GetInt32());
                string expectedDir = expected[label].Priority is { } p ? Path.Combine(spool.Path, p.ToString(CultureInfo.InvariantCulture)) : spool.Path;
                Assert.Equal(expectedDir, Path.GetDirectoryName(path));
                files[Path.GetFileName(path)] = label;
            }
        }
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), files.Values.Order(StringComparer.Ordinal));
        Assert.Equal(files.Count, AllTaskFiles(spool.Path).Count);

        string log = work.Combine("worker.jsonl");
        using var worker = ChildProcess.StartDotnet("TypedSpool.TestWorker",
            ["--spool", spool.Path, "--ordered", "--log", log, "--frequency-ms", "500"], readyLine: "ready");
        await worker.WaitReadyAsync(TimeSpan.FromSeconds(15));
        await WaitUntilAsync(
            () => ReadWorkerLog(log).Count(e => e.Event == "end") >= files.Count && AllTaskFiles(spool.Path).Count == 0,
            worker,
            () => $"the TypedSpool worker did not finish every uWSGI task; still in the spool: {string.Join(", ", AllTaskFiles(spool.Path))}\nlog:\n{ReadAll(log)}");
        worker.Kill();

        var events = ReadWorkerLog(log);
        var problems = new List<string>();
        foreach (var (file, label) in files)
        {
            var mine = events.Where(e => e.File == file).ToList();
            var starts = mine.Where(e => e.Event == "start").ToList();
            var ends = mine.Where(e => e.Event == "end").ToList();
            if (starts.Count != 1 || ends.Count != 1)
            {
                problems.Add($"{label}: {starts.Count} start(s) and {ends.Count} end(s), expected exactly one run");
                continue;
            }
            var run = ends[0];
            var want = expected[label];
            if (!run.Pairs.SequenceEqual(want.Pairs))
            {
                problems.Add($"{label}: pairs [{string.Join(", ", run.Pairs)}], expected [{string.Join(", ", want.Pairs)}]");
            }
            if (run.BodyLength != want.Body.Length || run.BodySha256 != Convert.ToHexStringLower(SHA256.HashData(want.Body)))
            {
                problems.Add($"{label}: body {run.BodyLength} bytes sha256 {run.BodySha256}, expected {want.Body.Length} bytes sha256 {Convert.ToHexStringLower(SHA256.HashData(want.Body))}");
            }
            if (run.Priority != want.Priority)
            {
                problems.Add($"{label}: priority {run.Priority?.ToString(CultureInfo.InvariantCulture) ?? "none"}, expected {want.Priority?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
            }
            if (run.Name != want.Name)
            {
                problems.Add($"{label}: name '{run.Name}', expected '{want.Name}'");
            }
            if (run.Result != "ok" || run.Attempt != 1)
            {
                problems.Add($"{label}: result {run.Result} at attempt {run.Attempt}, expected ok at attempt 1");
            }
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems) + $"\nworker log:\n{ReadAll(log)}\nworker stderr:\n{worker.StandardError}");
        Assert.Equal(expectedOrder, events.Where(e => e.Event == "start").Select(e => files[e.File]));
        Assert.Empty(AllTaskFiles(spool.Path));
    }

    [Fact]
    public async Task Uwsgi_spooler_and_typedspool_worker_sharing_a_directory_run_each_task_once()
    {
        RequireUwsgi();
        using var spool = new TempSpool("uwsgi-shared");
        using var work = new TempSpool("uwsgi-shared-work");
        string outDir = work.Combine("out");
        Directory.CreateDirectory(outDir);
        const int Total = 100;
        var producer = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        for (int i = 0; i < Total; i++)
        {
            // 40 ms per task: one consumer alone would need 4 s, so both are busy on the same files at once.
            producer.Enqueue(SpoolPacket.FromText([new("id", Id(i)), new("sleep_ms", "40")]));
        }
        Assert.Equal(Total, AllTaskFiles(spool.Path).Count);

        // Both scan in the same (version-sorted) order, so they keep meeting on the same files.
        using var uwsgi = UwsgiInstance.Start(
            ["--master", "--spooler", spool.Path, "--spooler-ordered", "--spooler-frequency", "1", "--import", "consumer_handler"],
            work.Combine("uwsgi.log"), new Dictionary<string, string> { ["TYPEDSPOOL_OUT"] = outDir });
        string workerLog = work.Combine("worker.jsonl");
        using var worker = ChildProcess.StartDotnet("TypedSpool.TestWorker",
            ["--spool", spool.Path, "--ordered", "--log", workerLog, "--frequency-ms", "1000"], readyLine: "ready");
        await worker.WaitReadyAsync(TimeSpan.FromSeconds(15));

        string runsLog = Path.Combine(outDir, "runs.log");
        int Runs() => ReadRuns(runsLog).Count + ReadWorkerLog(workerLog).Count(e => e.Event == "end");
        await WaitUntilAsync(() => AllTaskFiles(spool.Path).Count == 0 && Runs() >= Total, uwsgi,
            () => $"{AllTaskFiles(spool.Path).Count} task file(s) left, {Runs()} run(s) logged\nworker stderr:\n{worker.StandardError}");
        // A consumer that wrongly got hold of an already finished file would run it now: give it a full uWSGI scan period.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Token);
        worker.Kill();
        string uwsgiLog = uwsgi.ReadLog();
        uwsgi.Dispose();

        var uwsgiRuns = ReadRuns(runsLog);
        var workerEvents = ReadWorkerLog(workerLog);
        var workerStarts = workerEvents.Where(e => e.Event == "start").ToList();
        var workerEnds = workerEvents.Where(e => e.Event == "end").ToList();
        var problems = new List<string>();
        for (int i = 0; i < Total; i++)
        {
            string id = Id(i);
            int byUwsgi = uwsgiRuns.Count(r => r.Id == id);
            int started = workerStarts.Count(e => e.Pairs.Any(p => p == ("id", id)));
            int ended = workerEnds.Count(e => e.Pairs.Any(p => p == ("id", id)));
            if (byUwsgi + started != 1 || started != ended)
            {
                problems.Add($"{id}: {byUwsgi} run(s) by uWSGI, {started} start(s)/{ended} end(s) by TypedSpool");
            }
        }
        string summary = $"uWSGI ran {uwsgiRuns.Count}, TypedSpool ran {workerEnds.Count}";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(problems.Count == 0,
            $"every task must run exactly once across uWSGI and TypedSpool ({summary}); {problems.Count} did not:\n{string.Join('\n', problems.Take(30))}\n{uwsgiLog}");
        Assert.All(workerEnds, e => Assert.Equal("ok", e.Result));
        // Both must have taken part, or the test proved nothing about mutual exclusion.
        Assert.True(uwsgiRuns.Count > 0 && workerEnds.Count > 0, $"both consumers should have run tasks ({summary})\n{uwsgiLog}");
        Assert.DoesNotContain("Traceback", uwsgiLog, StringComparison.Ordinal);
    }

    private static void RequireUwsgi()
    {
        if (UwsgiInstance.UnavailableReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    private static string Id(int i) => "task-" + i.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>The producer.py body, recomputed: (i*131 + (i>>8)*7 + 3) mod 256, covering every byte value.</summary>
    private static byte[] BodyBytes(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 131 + (i >> 8) * 7 + 3) & 0xFF);
        }
        return bytes;
    }

    /// <summary>Task files anywhere under the spool (priority subdirectories included).</summary>
    private static List<string> AllTaskFiles(string spool)
        => [.. Directory.EnumerateFiles(spool, SpoolFileName.Prefix + "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private static async Task WaitUntilAsync(Func<bool> condition, UwsgiInstance uwsgi, Func<string> describe)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (uwsgi.HasExited)
            {
                Assert.Fail($"uwsgi exited early. {describe()}\n{uwsgi.ReadLog()}");
            }
            if (watch.Elapsed > s_deadline)
            {
                Assert.Fail($"timed out after {s_deadline.TotalSeconds} s: {describe()}\n{uwsgi.ReadLog()}");
            }
            await Task.Delay(100, Token);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, ChildProcess worker, Func<string> describe)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (worker.Process.HasExited)
            {
                Assert.Fail($"the TypedSpool worker exited early (code {worker.Process.ExitCode}). {describe()}\nstderr:\n{worker.StandardError}");
            }
            if (watch.Elapsed > s_deadline)
            {
                Assert.Fail($"timed out after {s_deadline.TotalSeconds} s: {describe()}\nstderr:\n{worker.StandardError}");
            }
            await Task.Delay(100, Token);
        }
    }

    private static string ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Complete lines only: a line still being appended is left for the next read.</summary>
    private static IEnumerable<string> CompleteLines(string path)
    {
        string text = ReadAll(path);
        int end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n').Where(l => l.Length > 0);
    }

    private static List<UwsgiRun> ReadRuns(string path)
        => [.. CompleteLines(path).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return new UwsgiRun(doc.RootElement.GetProperty("task").GetString()!, doc.RootElement.GetProperty("id").GetString()!);
        })];

    private static List<WorkerEvent> ReadWorkerLog(string path)
        => [.. CompleteLines(path).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            return new WorkerEvent(
                e.GetProperty("event").GetString()!,
                e.GetProperty("file").GetString()!,
                e.GetProperty("name").ValueKind == JsonValueKind.Null ? null : e.GetProperty("name").GetString(),
                e.GetProperty("attempt").GetInt32(),
                e.TryGetProperty("result", out var r) ? r.GetString() : null,
                e.TryGetProperty("priority", out var p) ? p.GetInt32() : null,
                [.. e.GetProperty("pairs").EnumerateObject().Select(x => (x.Name, x.Value.GetString()!))],
                e.GetProperty("body_len").GetInt32(),
                e.GetProperty("body_sha256").GetString()!);
        })];

    private sealed record SentTask(string Label, string Path, List<(byte[] Key, byte[] Value)> Pairs, byte[] Body);

    private sealed record ExpectedRun(List<(string, string)> Pairs, byte[] Body, int? Priority, string? Name);

    private sealed record UwsgiRun(string Task, string Id);

    private sealed record WorkerEvent(string Event, string File, string? Name, int Attempt, string? Result, int? Priority,
        List<(string, string)> Pairs, int BodyLength, string BodySha256);

    private sealed record ReceivedItem(string KeyType, byte[] Key, string ValueType, byte[] Value)
    {
        /// <summary>Exact and readable: short byte strings in full (escaped), long ones by length and sha256.</summary>
        public string Describe() => $"{KeyType}:{Show(Key)} -> {ValueType}:{Show(Value)}";

        private static string Show(byte[] bytes)
        {
            if (bytes.Length > 200)
            {
                return $"<{bytes.Length} bytes sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}>";
            }
            var text = new StringBuilder("b'");
            foreach (byte b in bytes)
            {
                text.Append(b is >= 0x20 and < 0x7F && b != (byte)'\\' && b != (byte)'\'' ? ((char)b).ToString() : $"\\x{b:x2}");
            }
            return text.Append('\'').ToString();
        }
    }
}
