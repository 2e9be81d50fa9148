using System.Globalization;
using Spectre.Console;
using TypedSpool.Cli.Terminal;

namespace TypedSpool.Cli.Commands;

/// <summary>
/// Applies one change (move or delete) to many task files: each file on its own, so that one failure does not stop the
/// rest, with a progress display on a terminal for long runs and one line per file otherwise.
/// </summary>
internal static class BulkChange
{
    /// <param name="targets">Files to change.</param>
    /// <param name="verb">Past tense for the summary ("requeued").</param>
    /// <param name="change">Changes one file and returns the line to print (its new path, or a word).</param>
    /// <param name="selected">True when a filter chose the files: one that started running or finished since it was
    /// listed is then normal and counted; when the operator named files, it is an error and the exit code says so.</param>
    public static int Run(IReadOnlyList<string> targets, string verb, Func<string, string> change, bool selected)
    {
        int changed = 0, busy = 0, gone = 0, worst = ExitCodes.Ok;
        void Apply(string path, bool printEach)
        {
            try
            {
                string line = change(path);
                changed++;
                if (printEach) Console.Out.WriteLine(line);
            }
            catch (InvalidOperationException ex)
            {
                busy++; // a worker is running it: left alone
                if (!selected) worst = Worse(worst, Failure.Report(ExitCodes.Busy, ex.Message));
            }
            catch (FileNotFoundException ex)
            {
                gone++; // it ran and finished since it was listed
                if (!selected) worst = Worse(worst, Failure.Report(ExitCodes.IoError, ex.Message));
            }
            catch (ArgumentException ex)
            {
                worst = Worse(worst, Failure.Report(ExitCodes.InvalidInput, ex.Message));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                worst = Worse(worst, Failure.Report(ExitCodes.IoError, ex.Message));
            }
        }

        if (Screen.IsInteractive && targets.Count >= Screen.ProgressThreshold)
        {
            Screen.Out.Progress().AutoClear(false).Columns(
                new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(verb, maxValue: targets.Count);
                    foreach (string path in targets)
                    {
                        Apply(path, printEach: false);
                        task.Increment(1);
                    }
                });
        }
        else
        {
            foreach (string path in targets) Apply(path, printEach: true);
        }

        if (selected || targets.Count > 1)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{verb} {changed} task(s); kept {busy} that a worker is running; {gone} had already gone"));
        }
        return worst;
    }

    /// <summary>The exit code that tells the most: a busy task (4) over a missing file (2) over bad input (1).</summary>
    private static int Worse(int current, int next) => Math.Max(current, next);
}
