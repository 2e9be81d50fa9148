using System.Diagnostics;
using System.Text.Json;

namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>
/// One real uWSGI instance (master plus the spooler and mule it forks) running the Python files in Uwsgi/.
/// Disposing kills the whole tree: SIGTERM would make the master reload, not stop.
/// </summary>
internal sealed class UwsgiProcess : IDisposable
{
    /// <summary>Debian's uWSGI, or the binary named by TYPEDSPOOL_UWSGI (as the integration tests allow).</summary>
    public static string Binary => System.Environment.GetEnvironmentVariable("TYPEDSPOOL_UWSGI") is { Length: > 0 } path ? path : "/usr/bin/uwsgi";

    private readonly Process _process;

    private UwsgiProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    public static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "Uwsgi");

    public string LogPath { get; }

    public int Pid => _process.Id;

    public static UwsgiProcess Start(string logPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(Binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(logPath),
        };
        string[] all = ["--plugin", "python3", "--pythonpath", ScriptDirectory, "--logto", logPath, "--master", .. arguments];
        foreach (var arg in all) info.ArgumentList.Add(arg);
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new BenchmarkFailure($"cannot start {Binary}");
        // Nothing useful is printed once --logto takes effect; drain the pipes so uWSGI never blocks on them.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new UwsgiProcess(process, logPath);
    }

    /// <summary>Waits for a JSON file the Python side publishes (by rename, so it is complete when it appears).</summary>
    public async Task<JsonElement> WaitForJsonAsync(string path, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (_process.HasExited) throw new BenchmarkFailure($"uwsgi exited (code {_process.ExitCode}) before writing {path}\n{LogTail()}");
            if (watch.Elapsed > timeout) throw new BenchmarkFailure($"uwsgi did not write {path} within {timeout.TotalSeconds:F0} s\n{LogTail()}");
            await Task.Delay(5);
        }
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        if (document.RootElement.TryGetProperty("error", out var error)) throw new BenchmarkFailure($"uwsgi python: {error.GetString()}");
        return document.RootElement.Clone();
    }

    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!(File.Exists(LogPath) && ReadLog().Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited) throw new BenchmarkFailure($"uwsgi exited (code {_process.ExitCode}) before logging '{text}'\n{LogTail()}");
            if (watch.Elapsed > timeout) throw new BenchmarkFailure($"uwsgi did not log '{text}' within {timeout.TotalSeconds:F0} s\n{LogTail()}");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private string LogTail()
    {
        try
        {
            var lines = ReadLog().Split('\n').Where(l => !l.Contains("running uWSGI as root", StringComparison.Ordinal)).ToArray();
            return $"--- {LogPath}:\n" + string.Join('\n', lines.TakeLast(30));
        }
        catch (IOException ex)
        {
            return $"(no uwsgi log: {ex.Message})";
        }
    }
}
