using System.Globalization;
using System.Text;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>Renders user input inside validation messages: quoted, shortened, control characters escaped.</summary>
internal static class Text
{
    private const int MaxQuoted = 80;

    /// <summary>Quotes a value for a message (<c>'value'</c>); long values are cut, control characters escaped.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var sb = new StringBuilder(Math.Min(value.Length, MaxQuoted) + 4).Append('\'');
        foreach (var c in Truncate(value, MaxQuoted))
        {
            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when char.IsControl(c) => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }

        return sb.Append('\'').ToString();
    }

    /// <summary>Cuts a value to <paramref name="max"/> characters, marking the cut with an ellipsis.</summary>
    public static string Truncate(string value, int max) =>
        value.Length <= max ? value : string.Concat(value.AsSpan(0, max - 1), "…");

    /// <summary>"1 thing" / "2 things".</summary>
    public static string Count(int count, string noun) =>
        count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");
}
