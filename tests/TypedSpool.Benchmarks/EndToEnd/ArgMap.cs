using System.Globalization;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary><c>--name value</c> and bare <c>--flag</c> arguments, for the coordinator and its children alike.</summary>
internal sealed class ArgMap
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static ArgMap Parse(IReadOnlyList<string> args)
    {
        var map = new ArgMap();
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{args[i]}'");
            bool isFlag = i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            map._values[args[i][2..]] = isFlag ? "true" : args[++i];
        }
        return map;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Text(string name) => _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? Number(name, v) : fallback;

    public int Int(string name) => Number(name, Text(name));

    private static int Number(string name, string value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
        ? n : throw new ArgumentException($"--{name} must be a non-negative integer, not '{value}'");
}
