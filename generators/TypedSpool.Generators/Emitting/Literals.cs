using System.Globalization;
using System.Text;

namespace TypedSpool.Generators.Emitting
{
    /// <summary>The one place that turns strings into C# literals.</summary>
    internal static class Literals
    {
        public static string String(string value)
        {
            var text = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    case '\0': text.Append("\\0"); break;
                    default:
                        if (char.IsControl(c) || char.IsSurrogate(c) || c > 0x7e)
                        {
                            text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            text.Append(c);
                        }
                        break;
                }
            }
            return text.Append('"').ToString();
        }

        /// <summary>Text safe inside a one-line XML doc comment (control characters become spaces).</summary>
        public static string Xml(string value)
        {
            var text = new StringBuilder(value.Length);
            foreach (char c in value)
            {
                switch (c)
                {
                    case '&': text.Append("&amp;"); break;
                    case '<': text.Append("&lt;"); break;
                    case '>': text.Append("&gt;"); break;
                    default: text.Append(char.IsControl(c) ? ' ' : c); break;
                }
            }
            return text.ToString();
        }
    }
}
