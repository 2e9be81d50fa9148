using System.Globalization;

namespace TypedSpool.MicroBenchmarks.Memory;

/// <summary><c>--name value</c> options and <c>--flag</c> switches.</summary>
internal sealed class RunArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static RunArguments Parse(string[] args)
    {
        var line = new RunArguments();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'; options are --name value or --flag.");
            }
            bool isFlag = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            line._values[args[i][2..]] = isFlag ? "true" : args[++i];
        }
        return line;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public string RequiredText(string name) => Text(name) ?? throw new ArgumentException($"--{name} is required.");

    public long Number(string name, long fallback)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        text = text.Replace("_", "", StringComparison.Ordinal);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} must be a positive whole number, not '{_values[name]}'.");
    }
}
