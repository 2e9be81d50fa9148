namespace TypedSpool.Testing;

/// <summary>A TypedSpool.TestWorker process consuming a spool; disposing kills it with SIGKILL.</summary>
public sealed class WorkerProcess : IDisposable
{
    private WorkerProcess(ChildProcess child)
    {
        Child = child;
        Pid = child.Process.Id;
    }

    public ChildProcess Child { get; }

    public int Pid { get; }

    public bool HasExited => Child.Process.HasExited;

    public static async Task<WorkerProcess> StartAsync(string spool, string log, params string[] extra)
    {
        var child = ChildProcess.StartDotnet("TypedSpool.TestWorker", ["--spool", spool, "--log", log, .. extra], readyLine: "ready");
        try
        {
            await child.WaitReadyAsync(TimeSpan.FromSeconds(20));
        }
        catch
        {
            child.Dispose();
            throw;
        }
        return new WorkerProcess(child);
    }

    /// <summary>SIGKILL: no handler, no finally block, no flush; the kernel drops the worker's locks.</summary>
    public async Task KillAsync()
    {
        Child.Kill();
        await Child.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Peak resident set size (VmHWM) in bytes, from /proc; 0 once the process is gone.</summary>
    public long PeakResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    public string Describe() => $"\n--- worker {Pid} (exited: {HasExited}) stderr:\n{Child.StandardError}--- stdout:\n{Child.StandardOutput}";

    public void Dispose() => Child.Dispose();
}
