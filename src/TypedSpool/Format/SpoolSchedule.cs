using System.Globalization;

namespace TypedSpool.Format;

/// <summary>Parsing and formatting of the <c>priority</c> and <c>at</c> values, with uWSGI's meaning but strict validation.</summary>
public static class SpoolSchedule
{
    /// <summary>
    /// True when <paramref name="name"/> is a priority: 1 to 9 ASCII digits, the names of the priority directories a
    /// consumer scans (the limit keeps the number an <c>int</c>).
    /// </summary>
    public static bool IsPriority(ReadOnlySpan<char> name) => name.Length <= 9 && SpoolFileName.IsDigits(name);

    /// <summary>
    /// Validates a priority: digits only (uWSGI uses the value as a raw path component, so <c>../x</c> or
    /// <c>high</c> would escape the spool or never run). Returns null for an empty value (no priority).
    /// </summary>
    public static string? ValidatePriority(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (!IsPriority(value))
        {
            throw new ArgumentException(
                $"Invalid priority '{value}': a priority names a subdirectory and must be 1 to 9 ASCII digits (e.g. 0, 3, 10).");
        }
        return value;
    }

    /// <summary>Formats a priority number as its subdirectory name.</summary>
    public static string FormatPriority(int priority)
    {
        if (priority < 0)
        {
            throw new ArgumentException($"Invalid priority {priority}: a priority must be 0 or more.");
        }
        return priority.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Parses an <c>at</c> value: unix seconds, optionally with a fraction (uWSGI drops it). Returns null for an
    /// empty value or a value of 0 or less (uWSGI ignores those); throws for anything that is not a number.
    /// </summary>
    public static DateTimeOffset? ParseAt(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        int dot = value.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? value.AsSpan() : value.AsSpan(0, dot);
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : value.AsSpan(dot + 1);
        if (!SpoolFileName.IsDigits(whole) || (dot >= 0 && fraction.Length > 0 && !SpoolFileName.IsDigits(fraction))
            || !long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new ArgumentException($"Invalid at '{value}': expected unix seconds, such as 1767225600 or 1767225600.5.");
        }
        return seconds <= 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>Formats a time as the integer unix seconds uWSGI writes in <c>at</c>.</summary>
    public static string FormatAt(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
