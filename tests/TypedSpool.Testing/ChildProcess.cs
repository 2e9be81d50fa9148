using System.Diagnostics;
using System.Text;

namespace TypedSpool.Testing;

/// <summary>A real child process with captured output, killed (with its tree) at dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string? readyLine)
    {
        Process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stdout) _stdout.AppendLine(e.Data);
            if (readyLine is not null && e.Data == readyLine) _ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (readyLine is null) _ready.TrySetResult();
    }

    public Process Process { get; }

    public string StandardOutput { get { lock (_stdout) return _stdout.ToString(); } }

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string? readyLine = null, string? workingDirectory = null,
        IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (key, value) in environment) info.Environment[key] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new ChildProcess(process, readyLine);
    }

    /// <summary>Starts a .NET program built next to the tests (its .dll in the test output directory).</summary>
    public static ChildProcess StartDotnet(string assemblyName, IEnumerable<string> arguments, string? readyLine = null)
        => Start("dotnet", [Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll"), .. arguments], readyLine);

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_ready.Task, Process.WaitForExitAsync(), Task.Delay(timeout));
        if (!_ready.Task.IsCompleted)
        {
            throw new TimeoutException($"child did not become ready (exited: {Process.HasExited}).\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }
    }

    /// <summary>Waits for exit and returns the exit code; throws with the output on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"child did not exit within {timeout}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }
        Process.WaitForExit(); // drains the asynchronous readers
        return Process.ExitCode;
    }

    /// <summary>Runs a .NET program to completion and returns (exit code, stdout, stderr).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunDotnetAsync(string assemblyName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        using var child = StartDotnet(assemblyName, arguments);
        int code = await child.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return (code, child.StandardOutput, child.StandardError);
    }

    public void Kill()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }
}
