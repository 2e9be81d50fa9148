namespace TypedSpool.Testing;

/// <summary>A fresh directory under the system temp folder, removed at dispose.</summary>
public sealed class TempSpool : IDisposable
{
    public TempSpool(string? name = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "typedspool-tests", (name ?? "spool") + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Task files (name prefix) directly in <paramref name="subdirectory"/> of the spool, or its root.</summary>
    public string[] TaskFiles(string? subdirectory = null)
    {
        var dir = subdirectory is null ? Path : Combine(subdirectory);
        return Directory.Exists(dir)
            ? [.. Directory.GetFiles(dir, "uwsgi_spoolfile_on_*").Where(f => !f.EndsWith(".reason.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
            : [];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
