namespace TypedSpool.Format;

/// <summary>
/// Orders names as glibc's <c>versionsort</c> (strverscmp) does for uWSGI's <c>--spooler-ordered</c>:
/// runs of digits compare as numbers, and a run with more leading zeros sorts first (<c>003</c> before <c>1</c>).
/// </summary>
public sealed class VersionSortComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static VersionSortComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return Compare(x.AsSpan(), y.AsSpan());
    }

    /// <summary>Compares two names without allocating (the scanner sorts file names sliced from full paths).</summary>
    public int Compare(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int si = i, sj = j;
                while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                int result = CompareDigitRuns(x[si..i], y[sj..j]);
                if (result != 0) return result;
                continue;
            }
            if (x[i] != y[j]) return x[i].CompareTo(y[j]);
            i++;
            j++;
        }
        return (x.Length - i).CompareTo(y.Length - j);
    }

    private static int CompareDigitRuns(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int zerosA = CountLeadingZeros(a), zerosB = CountLeadingZeros(b);
        if (zerosA != zerosB)
        {
            // strverscmp: fractional parts (leading zeros) sort before integral ones, more zeros first.
            return zerosB.CompareTo(zerosA);
        }
        var ta = a[zerosA..];
        var tb = b[zerosB..];
        if (ta.Length != tb.Length) return ta.Length.CompareTo(tb.Length);
        return ta.SequenceCompareTo(tb);
    }

    private static int CountLeadingZeros(ReadOnlySpan<char> run)
    {
        int n = 0;
        while (n < run.Length - 1 && run[n] == '0') n++;
        return n;
    }
}
