using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>One line of the end-of-suite table.</summary>
public sealed record FaultRow(string Scenario, int Runs, int Acknowledged, int Executed, int Lost, int Duplicated, int Quarantined, string Note = "");

/// <summary>
/// Collects a row per scenario and, once every test has run, writes the table to the console and to
/// <c>artifacts/fault-summary.md</c>, so CI keeps the evidence and not only a pass count.
/// </summary>
public sealed class FaultSummary : IDisposable
{
    private static readonly ConcurrentQueue<FaultRow> s_rows = new();

    public static void Add(FaultRow row)
    {
        s_rows.Enqueue(row);
        TestContext.Current.TestOutputHelper?.WriteLine(Format([row]));
    }

    public static string Format(IEnumerable<FaultRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | runs | acknowledged | executed | lost | duplicated | quarantined | note |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Runs} | {r.Acknowledged} | {r.Executed} | {r.Lost} | {r.Duplicated} | {r.Quarantined} | {r.Note} |"));
        }
        return text.ToString();
    }

    public void Dispose()
    {
        if (s_rows.IsEmpty)
        {
            return;
        }
        string table = "# Fault-injection summary\n\n" + Format(s_rows.OrderBy(r => r.Scenario, StringComparer.Ordinal))
            + "\nlost = acknowledged but neither executed nor still queued; duplicated = extra executions, each inside a documented crash window.\n";
        Console.Out.WriteLine(table);
        try
        {
            string artifacts = Path.Combine(Fixtures.RepositoryRoot, "artifacts");
            Directory.CreateDirectory(artifacts);
            File.WriteAllText(Path.Combine(artifacts, "fault-summary.md"), table);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"could not write artifacts/fault-summary.md: {ex.Message}");
        }
    }
}
