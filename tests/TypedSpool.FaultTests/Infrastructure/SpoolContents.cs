using TypedSpool.Format;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>What a spool holds after a scenario: valid queued tasks by id, torn ones, leftovers, quarantine, dead letters.</summary>
internal sealed record SpoolContents(
    IReadOnlyList<string> QueuedIds,
    IReadOnlyList<string> InvalidQueued,
    IReadOnlyList<string> TemporaryFiles,
    IReadOnlyList<string> Quarantined,
    IReadOnlyList<string> DeadLettered)
{
    public static SpoolContents Read(string root)
    {
        var queued = new List<string>();
        var invalid = new List<string>();
        var temporary = new List<string>();
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, path);
            if (relative.StartsWith("quarantine/", StringComparison.Ordinal) || relative.StartsWith("dead/", StringComparison.Ordinal))
            {
                continue;
            }
            string name = Path.GetFileName(path);
            if (name.StartsWith(".typedspool-tmp.", StringComparison.Ordinal))
            {
                temporary.Add(path);
            }
            else if (SpoolFileName.HasTaskPrefix(name))
            {
                if (FaultTask.ReadValidId(path) is { } id)
                {
                    queued.Add(id);
                }
                else
                {
                    invalid.Add(path);
                }
            }
        }
        return new SpoolContents(queued, invalid, temporary, TaskFilesIn(Path.Combine(root, "quarantine")), TaskFilesIn(Path.Combine(root, "dead")));
    }

    private static List<string> TaskFilesIn(string directory)
        => Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory).Where(f => !f.EndsWith(".reason.json", StringComparison.Ordinal))]
            : [];
}
