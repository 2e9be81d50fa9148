using Spectre.Console;
using TypedSpool.Storage;

namespace TypedSpool.Cli.Terminal;

/// <summary>
/// Terminal output through Spectre.Console: tables, colours and progress only when stdout is a terminal (Spectre also
/// honours NO_COLOR and TERM=dumb); when it is redirected, commands print plain text that scripts can read.
/// </summary>
internal static class Screen
{
    /// <summary>True when a person is watching: stdout is a terminal.</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected;

    /// <summary>Below this many changes a progress display would only flicker.</summary>
    public const int ProgressThreshold = 100;

    /// <summary>Tables and progress, fitted to the terminal's width.</summary>
    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
    });

    /// <summary>Listing lines, never wrapped: a long file name runs off the edge rather than breaking the columns.</summary>
    public static IAnsiConsole Lines { get; } = Unwrapped();

    private static IAnsiConsole Unwrapped()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Profile.Width = short.MaxValue;
        return console;
    }

    /// <summary>The colour an operator learns to read at a glance: red needs attention, grey waits on purpose.</summary>
    public static Color StateColor(SpoolEntryState state) => state switch
    {
        SpoolEntryState.Due => Color.Green,
        SpoolEntryState.Scheduled => Color.Blue,
        SpoolEntryState.Locked => Color.Yellow,
        SpoolEntryState.Dead => Color.Red,
        SpoolEntryState.Quarantined => Color.Fuchsia,
        SpoolEntryState.Held => Color.Grey,
        _ => Color.Default,
    };

    /// <summary>A state in its colour, padded to <paramref name="width"/> (markup is invisible in the width).</summary>
    public static string StateMarkup(SpoolEntryState state, int width = 0)
    {
        string name = state.ToString();
        return $"[{StateColor(state).ToMarkup()}]{Markup.Escape(name)}[/]" + new string(' ', Math.Max(0, width - name.Length));
    }
}
