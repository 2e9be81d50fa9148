using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>A child process of this same program in a <c>child</c> role; its last JSON stdout line is its report.</summary>
internal sealed class SelfProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _lastJson;

    private SelfProcess(Process process) => _process = process;

    public string CommandLine => string.Join(' ', _process.StartInfo.ArgumentList);

    /// <summary>Starts a child; with <paramref name="withInput"/> its stdin is a pipe for <see cref="Go"/>.</summary>
    public static SelfProcess Start(IEnumerable<string> childArgs, bool withInput = false)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = withInput,
            UseShellExecute = false,
        };
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        info.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Started as "dotnet TypedSpool.Benchmarks.dll": the children need the dll too.
            info.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }
        info.ArgumentList.Add("child");
        foreach (var arg in childArgs) info.ArgumentList.Add(arg);

        var process = new Process { StartInfo = info };
        var self = new SelfProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data == "ready") self._ready.TrySetResult();
            else if (e.Data.StartsWith('{')) self._lastJson = e.Data;
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (self._stderr) self._stderr.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return self;
    }

    /// <summary>Waits for the child's "ready" line.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (first == _ready.Task) return;
        throw new BenchmarkFailure(first == exited
            ? $"child exited (code {_process.ExitCode}) before it was ready: {CommandLine}\n{StandardErrorTail()}"
            : $"child not ready within {timeout.TotalSeconds:F0} s: {CommandLine}\n{StandardErrorTail()}");
    }

    /// <summary>Releases a child that waits for a start line (see <see cref="Child.ProducerScalingChild"/>).</summary>
    public void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for the child to exit and returns its report; a timeout kills it.</summary>
    public async Task<JsonElement> ResultAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new BenchmarkFailure($"child did not finish within {timeout.TotalSeconds:F0} s: {CommandLine}\n{StandardErrorTail()}");
        }
        _process.WaitForExit(); // drains the redirected streams
        if (_process.ExitCode != 0 || _lastJson is null)
        {
            throw new BenchmarkFailure($"child failed (exit code {_process.ExitCode}): {CommandLine}\n{StandardErrorTail()}");
        }
        using var document = JsonDocument.Parse(_lastJson);
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private string StandardErrorTail()
    {
        lock (_stderr)
        {
            string text = _stderr.ToString();
            return text.Length > 3000 ? "…" + text[^3000..] : text;
        }
    }
}
