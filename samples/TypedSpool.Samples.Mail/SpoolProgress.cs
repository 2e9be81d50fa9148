using TypedSpool.Format;

namespace MailSample;

/// <summary>
/// How much is left in a spool: the task files where workers look for them (the directory and its all-digit priority
/// subdirectories; <c>dead/</c> and <c>quarantine/</c> do not count). A task's file is deleted only after the task has
/// finished, and a retry keeps it, so zero files means every task has run and none is running.
/// </summary>
public static class SpoolProgress
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(200);

    public static int CountTaskFiles(string spool)
    {
        if (!Directory.Exists(spool))
        {
            return 0;
        }
        int count = CountIn(spool);
        foreach (string directory in Directory.EnumerateDirectories(spool))
        {
            if (SpoolFileName.IsDigits(Path.GetFileName(directory)))
            {
                count += CountIn(directory);
            }
        }
        return count;
    }

    private static int CountIn(string directory)
    {
        try
        {
            return Directory.EnumerateFiles(directory, SpoolFileName.Prefix + "*").Count(f => !f.EndsWith(".reason.json", StringComparison.Ordinal));
        }
        catch (DirectoryNotFoundException)
        {
            return 0; // a priority directory removed while we looked
        }
    }

    /// <summary>Counts every 200 ms until the spool is empty (true) or <paramref name="cancellationToken"/> fires (false), showing progress when <paramref name="show"/>.</summary>
    public static async Task<bool> WaitUntilEmptyAsync(string spool, bool show, CancellationToken cancellationToken)
    {
        int total = 0, last = -1;
        using var timer = new PeriodicTimer(s_interval);
        while (true)
        {
            int left = CountTaskFiles(spool);
            total = Math.Max(total, left); // other producers may add tasks meanwhile
            if (show && left != last)
            {
                Show(left, total);
                last = left;
            }
            if (left == 0)
            {
                return true;
            }
            try
            {
                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (show && !Console.IsOutputRedirected) Console.WriteLine();
                return false;
            }
        }
    }

    private static void Show(int left, int total)
    {
        const int width = 30;
        int done = total == 0 ? width : (total - left) * width / total;
        string line = $"[{new string('#', done)}{new string('.', width - done)}] {total - left}/{total} done, {left} left";
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(line); // one line per change in a log or a pipe
        }
        else
        {
            Console.Write("\r" + line + (left == 0 ? "\n" : ""));
        }
    }
}
