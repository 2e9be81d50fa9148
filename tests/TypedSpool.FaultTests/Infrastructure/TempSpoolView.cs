using TypedSpool.Format;

namespace TypedSpool.FaultTests.Infrastructure;

/// <summary>A cheap count of task-named files under a spool (priority directories included, dead/ and quarantine/ not).</summary>
internal readonly struct TempSpoolView(string root)
{
    public int TaskFileCount
    {
        get
        {
            int count = 0;
            foreach (var path in Directory.EnumerateFiles(root, "uwsgi_spoolfile_on_*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, path);
                if (!relative.StartsWith("quarantine/", StringComparison.Ordinal) && !relative.StartsWith("dead/", StringComparison.Ordinal)
                    && SpoolFileName.HasTaskPrefix(Path.GetFileName(path)))
                {
                    count++;
                }
            }
            return count;
        }
    }
}
