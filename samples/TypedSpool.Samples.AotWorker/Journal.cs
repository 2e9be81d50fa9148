namespace AotWorker;

/// <summary>An append-only text file the tasks of this process write to, one line per run.</summary>
public sealed class Journal(string path)
{
    private readonly Lock _gate = new();
    private int _count;

    /// <summary>The journal file.</summary>
    public string Path => path;

    /// <summary>Lines appended by this process.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Appends <paramref name="line"/>; safe to call from concurrent tasks (<c>Processes</c> above 1).</summary>
    public void Append(string line)
    {
        lock (_gate)
        {
            File.AppendAllText(path, line + "\n");
            _count++;
        }
    }
}
