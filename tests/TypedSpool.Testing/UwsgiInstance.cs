using System.Diagnostics;

namespace TypedSpool.Testing;

/// <summary>
/// A real uWSGI process (Debian's <c>/usr/bin/uwsgi</c> with the <c>python3</c> plugin) for interop tests.
/// uWSGI logs to a file (<c>--logto</c>); disposing kills the master and everything it forked.
/// </summary>
public sealed class UwsgiInstance : IDisposable
{
    /// <summary>Environment variable that overrides the uWSGI binary.</summary>
    public const string BinaryVariable = "TYPEDSPOOL_UWSGI";

    private static readonly Lazy<string?> s_unavailable = new(ProbeUnavailable);

    private readonly ChildProcess _child;

    private UwsgiInstance(ChildProcess child, string logPath)
    {
        _child = child;
        LogPath = logPath;
    }

    /// <summary>The uWSGI binary used.</summary>
    public static string Binary => Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } path ? path : "/usr/bin/uwsgi";

    /// <summary>Directory of the Python files the tests give uWSGI (copied next to the test assembly).</summary>
    public static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "Uwsgi");

    /// <summary>Why real uWSGI cannot be used here (binary, python3 plugin or uwsgidecorators missing), or null when it can.</summary>
    public static string? UnavailableReason => s_unavailable.Value;

    /// <summary>The master's pid.</summary>
    public int Pid => _child.Process.Id;

    /// <summary>The <c>--logto</c> file.</summary>
    public string LogPath { get; }

    public bool HasExited => _child.Process.HasExited;

    /// <summary>
    /// Starts <c>uwsgi --plugin python3 --pythonpath ScriptDirectory --logto LOG</c> followed by
    /// <paramref name="arguments"/>, with <paramref name="environment"/> added to its environment.
    /// </summary>
    public static UwsgiInstance Start(IEnumerable<string> arguments, string logPath, IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Keep __pycache__ out of the test output directory.
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        if (environment is not null)
        {
            foreach (var (key, value) in environment) env[key] = value;
        }
        string[] all = ["--plugin", "python3", "--pythonpath", ScriptDirectory, "--logto", logPath, .. arguments];
        var child = ChildProcess.Start(Binary, all, workingDirectory: Path.GetDirectoryName(logPath), environment: env);
        return new UwsgiInstance(child, logPath);
    }

    /// <summary>The command line, for failure messages.</summary>
    public string CommandLine => string.Join(' ', new[] { Binary }.Concat(_child.Process.StartInfo.ArgumentList));

    /// <summary>The uWSGI log plus anything printed before <c>--logto</c> took effect.</summary>
    public string ReadLog()
    {
        string log;
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            log = reader.ReadToEnd();
        }
        catch (IOException ex)
        {
            log = $"(no log: {ex.Message})";
        }
        // Root runs print two warning lines per phase; they only hide what matters.
        var lines = log.Split('\n').Where(l => !l.Contains("running as root", StringComparison.Ordinal)).ToList();
        const int MaxLines = 200;
        string text = lines.Count <= MaxLines
            ? string.Join('\n', lines)
            : $"({lines.Count - MaxLines} earlier lines omitted)\n" + string.Join('\n', lines.Skip(lines.Count - MaxLines));
        string exited = HasExited ? $"(uwsgi exited with code {_child.Process.ExitCode})\n" : "";
        return $"--- {CommandLine}\n{exited}--- uwsgi log {LogPath}:\n{text}"
            + (_child.StandardOutput.Length + _child.StandardError.Length > 0 ? $"\n--- stdout:\n{_child.StandardOutput}\n--- stderr:\n{_child.StandardError}" : "");
    }

    /// <summary>Waits until the log contains <paramref name="text"/>; throws with the log if uWSGI exits or time runs out.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (ReadLog().Contains(text, StringComparison.Ordinal))
            {
                return;
            }
            if (HasExited)
            {
                throw new InvalidOperationException($"uwsgi exited before logging '{text}'.\n{ReadLog()}");
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"uwsgi did not log '{text}' within {timeout.TotalSeconds} s.\n{ReadLog()}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Kills the master and every process it forked (spoolers, workers), and waits for the master to go.</summary>
    public void Dispose()
    {
        _child.Kill();
        try
        {
            _child.Process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _child.Dispose();
    }

    private static string? ProbeUnavailable()
    {
        string binary = Binary;
        if (!File.Exists(binary))
        {
            return $"uWSGI is not installed ({binary} is missing; apt-get install uwsgi uwsgi-plugin-python3 python3-uwsgidecorators)";
        }
        try
        {
            // Loads the plugin for real: a missing or broken python3 plugin fails here.
            var info = new ProcessStartInfo(binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "--plugin", "python3", "--version" }) info.ArgumentList.Add(a);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("no process");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
                return $"'{binary} --plugin python3 --version' did not finish within 15 s";
            }
            process.WaitForExit();
            if (process.ExitCode != 0 || (stdout.Result + stderr.Result).Contains("unable to load", StringComparison.OrdinalIgnoreCase))
            {
                return $"the uWSGI python3 plugin cannot be loaded (exit code {process.ExitCode}): {stdout.Result.Trim()} {stderr.Result.Trim()}"
                    + " (apt-get install uwsgi-plugin-python3)";
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return $"cannot run {binary}: {ex.Message}";
        }
        string[] decorators = ["/usr/lib/python3/dist-packages/uwsgidecorators.py", "/usr/lib/python3.11/dist-packages/uwsgidecorators.py"];
        if (!decorators.Any(File.Exists))
        {
            return "uwsgidecorators is not installed for the system Python that the uWSGI plugin embeds (apt-get install python3-uwsgidecorators)";
        }
        return null;
    }
}
