using System.Text.Json;
using TypedSpool.Benchmarks.EndToEnd.Systems;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>
/// results.json: {"systems": {name: {the seven medians, null where unmeasured, ...}}} as issue 7 asks, plus the
/// run's context, each system's per-run figures, notes and errors, and the producer-scaling line.
/// </summary>
internal static class ResultsJson
{
    public static void Write(string path, E2eOptions o, IReadOnlyList<SystemResult> results, ProducerScaling? scaling, MachineInfo machine, DateTimeOffset started, TimeSpan wall)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("date", started.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartObject("machine");
        json.WriteString("cpu", machine.Cpu);
        json.WriteNumber("cores", machine.Cores);
        json.WriteString("kernel", machine.Kernel);
        json.WriteString("filesystem", machine.FileSystem);
        json.WriteString("runtime", machine.Runtime);
        json.WriteEndObject();
        json.WriteNumber("n", o.N);
        json.WriteNumber("repetitions", o.Repetitions);
        json.WriteNumber("latency_tasks", o.LatencyTasks);
        json.WriteNumber("latency_interval_ms", o.IntervalUs / 1000.0);
        json.WriteBoolean("quick", o.Quick);
        json.WriteNumber("wall_s", Math.Round(wall.TotalSeconds, 1));

        json.WriteStartObject("systems");
        foreach (var r in results)
        {
            json.WriteStartObject(r.Name);
            foreach (var metric in Metric.All) Number(json, metric.Key, r.Median(metric));
            foreach (var key in r.ExtraKeys) Number(json, key, r.MedianExtra(key));
            json.WriteNumber("n", r.N);
            json.WriteNumber("latency_interval_ms", o.IntervalFor(r.Name) / 1000.0);
            if (r.Skipped is not null) json.WriteString("skipped", r.Skipped);
            json.WriteString("notes", r.Notes);
            json.WriteStartArray("runs");
            foreach (var run in r.Runs)
            {
                json.WriteStartObject();
                foreach (var metric in Metric.All) Number(json, metric.Key, metric.Get(run));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("errors");
            foreach (var error in r.Errors) json.WriteStringValue(error);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();

        if (scaling is not null)
        {
            double? one = SystemResult.Median(scaling.Single);
            double? threads = SystemResult.Median(scaling.FourThreads);
            double? processes = SystemResult.Median(scaling.FourProcesses);
            json.WriteStartObject("producer_scaling");
            json.WriteString("system", SystemNames.TypedSpoolDurable);
            Number(json, "one_producer_per_s", one);
            Number(json, "four_threads_per_s", threads);
            Number(json, "four_processes_per_s", processes);
            Number(json, "four_threads_ratio", threads / one);
            Number(json, "four_processes_ratio", processes / one);
            json.WriteStartArray("errors");
            foreach (var error in scaling.Errors) json.WriteStringValue(error);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, Math.Round(v, v >= 100 ? 0 : 4));
        else json.WriteNull(name);
    }
}
