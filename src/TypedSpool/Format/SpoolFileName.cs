using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace TypedSpool.Format;

/// <summary>
/// The uWSGI spool file name: <c>uwsgi_spoolfile_on_&lt;host&gt;_&lt;pid&gt;_&lt;counter&gt;_&lt;rand&gt;_&lt;sec&gt;_&lt;usec&gt;</c>.
/// The host may contain underscores, so the numeric fields are parsed from the right.
/// </summary>
/// <param name="Host">Host name of the producer.</param>
/// <param name="ProcessId">Process id of the producer.</param>
/// <param name="Counter">Per-process counter, from 1.</param>
/// <param name="Random">A random number (not a uniqueness source).</param>
/// <param name="Seconds">Unix seconds of the write.</param>
/// <param name="Microseconds">Microseconds of the write (not zero-padded).</param>
public readonly record struct SpoolFileName(string Host, long ProcessId, ulong Counter, ulong Random, ulong Seconds, ulong Microseconds)
{
    /// <summary>The prefix every task file name starts with (case-sensitive).</summary>
    public const string Prefix = "uwsgi_spoolfile_on_";

    /// <summary><see cref="Prefix"/> in UTF-8, for names read from the kernel.</summary>
    internal static ReadOnlySpan<byte> PrefixUtf8 => "uwsgi_spoolfile_on_"u8;

    /// <summary>True when a directory entry name is a task file name for a consumer.</summary>
    public static bool HasTaskPrefix(ReadOnlySpan<char> name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Formats the name exactly as uWSGI does.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Prefix}{Host}_{ProcessId}_{Counter}_{Random}_{Seconds}_{Microseconds}");

    /// <summary>Parses a file name (no directory part).</summary>
    public static bool TryParse(string name, [NotNullWhen(true)] out SpoolFileName? result)
    {
        result = null;
        if (name is null || !HasTaskPrefix(name))
        {
            return false;
        }
        var rest = name.AsSpan(Prefix.Length);
        Span<ulong> numbers = stackalloc ulong[5];
        for (int i = numbers.Length - 1; i >= 0; i--)
        {
            int underscore = rest.LastIndexOf('_');
            if (underscore < 0)
            {
                return false;
            }
            var field = rest[(underscore + 1)..];
            if (field.Length == 0 || !IsDigits(field) || !ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
            rest = rest[..underscore];
        }
        if (rest.Length == 0 || numbers[0] > long.MaxValue)
        {
            return false;
        }
        result = new SpoolFileName(rest.ToString(), (long)numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
        return true;
    }

    /// <summary>True when every character is an ASCII digit (and there is at least one).</summary>
    public static bool IsDigits(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }
}
