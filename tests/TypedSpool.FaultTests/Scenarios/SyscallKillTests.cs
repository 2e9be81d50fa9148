using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// SIGKILL of a worker exactly at each system call of claim, read and delete (strace kills it on entry to the call, and
/// the call is not performed). Before the handler returns, a kill must cost nothing but a rerun; between the handler's
/// return and the unlink it must cost exactly one repeat — the documented crash window.
/// </summary>
public sealed class SyscallKillTests
{
    [Theory]
    [InlineData("openat", false)]                   // the claim's open
    [InlineData("fcntl", false)]                    // the lock (the lease)
    [InlineData("pread64", false)]                  // reading the task under the lock
    [InlineData("renameat2", true)]                 // moving the finished file into the pool, after the handler returned Ok
    [InlineData("unlink", true, "--no-recycle")]    // deleting it instead, after the handler returned Ok
    public async Task A_worker_killed_at_one_syscall_step_loses_nothing(string syscall, bool handlerAlreadyRan, string? workerOption = null)
    {
        using var spool = new TempSpool("fault-syscall-kill");
        using var ledgerDir = new TempSpool("fault-syscall-kill-ledger");
        string log = ledgerDir.Combine("events.jsonl");
        string trace = ledgerDir.Combine("strace.txt");
        var ledger = new Ledger();
        ledger.Attempt("only");
        var task = new Spooler(spool.Path).Enqueue(FaultTask.Create("only", 1000, new Random(1)));
        ledger.Acknowledge("only");

        // -P limits tracing (and so the injection) to calls on this one file: the runtime's own opens and reads are left alone.
        using (var traced = Strace.StartTestWorker(
            ["-o", trace, "-P", task.Path, "-e", $"trace={syscall}", "-e", $"inject={syscall}:error=EIO:signal=SIGKILL:when=1"],
            ["--spool", spool.Path, "--log", log, "--frequency-ms", "500", .. workerOption is null ? Array.Empty<string>() : [workerOption]]))
        {
            bool exited = traced.Process.WaitForExit(30_000);
            Strace.SkipIfPtraceDenied(traced);
            Assert.True(exited, $"the traced worker was never killed at {syscall}\n{traced.StandardError}");
            // Proof that the kill landed on this call of this file, not on a failed start.
            string calls = File.ReadAllText(trace);
            Assert.True(traced.Process.ExitCode == 137 && calls.Contains(syscall + "(", StringComparison.Ordinal) && calls.Contains("killed by SIGKILL", StringComparison.Ordinal),
                $"exit code {traced.Process.ExitCode}; trace:\n{calls}\n{traced.StandardError}");
            Assert.True(File.Exists(task.Path), $"killed at {syscall}, the task file must stay in the spool");
        }
        var firstRun = WorkerLog.Ends(log);
        Assert.Equal(handlerAlreadyRan ? 1 : 0, firstRun.Count);

        using (var worker = await WorkerProcess.StartAsync(spool.Path, log, "--frequency-ms", "500"))
        {
            await Wait.UntilAsync(() => !File.Exists(task.Path), TimeSpan.FromSeconds(20), () => "the task never ran again" + worker.Describe());
        }

        var events = WorkerLog.Read(log);
        int killedPid = firstRun.Count > 0 ? firstRun[0].Pid : -1;
        var verdict = ledger.Reconcile(events, SpoolContents.Read(spool.Path), e => e.Pid == killedPid);
        verdict.AssertHolds($"killed at {syscall}");
        Assert.Equal(handlerAlreadyRan ? 1 : 0, verdict.Duplicated);
        FaultSummary.Add(verdict.Row($"1b worker SIGKILL at {syscall}", 1, handlerAlreadyRan ? "handler had returned: 1 repeat (crash window)" : "before the handler: rerun once"));
    }
}
