namespace TypedSpool;

/// <summary>A named spool directory a <see cref="Spooler"/> can write to (uWSGI's repeated <c>--spooler</c>).</summary>
public sealed record SpoolTarget
{
    /// <summary>Creates a target; the directory is made absolute.</summary>
    public SpoolTarget(string name, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Name = name;
        Directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
    }

    /// <summary>The name <see cref="SpoolOptions.Spooler"/> selects it by.</summary>
    public string Name { get; }

    /// <summary>Absolute path of the spool directory.</summary>
    public string Directory { get; }
}
