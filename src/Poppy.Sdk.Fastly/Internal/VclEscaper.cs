using System.Globalization;
using System.Text;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Turns user strings into VCL that cannot break out of its string literal.
/// </summary>
/// <remarks>
/// <para>
/// Every user value that reaches a condition statement ends up inside a double-quoted VCL string
/// used as a regular expression. Fastly's double-quoted strings decode <c>%XX</c> escapes and end at
/// the next <c>"</c>; long strings (<c>{"…"}</c>) end at the next <c>"}</c> and cannot escape it. So this
/// class never emits long strings, and never emits <c>"</c>, <c>%</c>, braces, semicolons, whitespace
/// or control characters inside a literal: every character outside a small allow-list is written as
/// the PCRE escape <c>\xHH</c>, which the regex engine (not the VCL parser) decodes. Non-ASCII
/// characters in paths are first percent-encoded as UTF-8 (that is how they arrive in
/// <c>req.url.path</c>), and the <c>%</c> itself becomes <c>\x25</c>.
/// </para>
/// <para>
/// <see cref="Quote"/> checks the finished literal against the allow-list once more and throws if
/// anything else slipped through, so a bug here fails loudly instead of producing injectable VCL.
/// </para>
/// </remarks>
internal static class VclEscaper
{
    /// <summary>The regex that matches every path (the neutral <c>/*</c>).</summary>
    public const string CatchAll = "/*";

    /// <summary>Characters allowed raw inside a generated literal (regex syntax and safe text).</summary>
    public static bool IsSafeLiteralChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '~' or '.' or '*' or '\\' or '^' or '(' or ')' or '?' or '|' or ':' or '[' or ']' or '+';

    /// <summary>Wraps a regex built by this class in a VCL string literal, after checking it is safe.</summary>
    /// <param name="regex">The regex.</param>
    /// <returns><c>"regex"</c>.</returns>
    /// <exception cref="InvalidOperationException">The regex contains a character that could end or alter the literal.</exception>
    public static string Quote(string regex)
    {
        foreach (var c in regex)
        {
            if (!IsSafeLiteralChar(c))
            {
                throw new InvalidOperationException($"Refusing to emit a VCL string literal containing U+{(int)c:X4}; this is a bug in the Fastly provider's escaping.");
            }
        }

        return "\"" + regex + "\"";
    }

    /// <summary>
    /// Converts a neutral request-URL pattern (<c>/images/*</c>; <c>*</c> matches anything, everything
    /// else is literal) into an anchored regex for <c>req.url.path</c>.
    /// </summary>
    /// <param name="requestUrl">The pattern; a leading <c>/</c> is added when missing.</param>
    /// <returns>The regex, for example <c>^/images/.*</c> or <c>^/index\.html\z</c>.</returns>
    public static string PathPatternToRegex(string requestUrl)
    {
        ArgumentNullException.ThrowIfNull(requestUrl);
        var path = requestUrl.StartsWith('/') ? requestUrl : "/" + requestUrl;
        var sb = new StringBuilder(path.Length * 2 + 4).Append('^');
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in path.EnumerateRunes())
        {
            if (rune.Value == '*')
            {
                sb.Append(".*");
            }
            else if (rune.IsAscii)
            {
                AppendLiteral(sb, (char)rune.Value);
            }
            else
            {
                // req.url.path carries non-ASCII characters percent-encoded (RFC 3986).
                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    AppendHexEscape(sb, '%');
                    sb.Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
        }

        if (!path.EndsWith('*'))
        {
            sb.Append("\\z");
        }

        return sb.ToString();
    }

    /// <summary>Reverses <see cref="PathPatternToRegex"/> for regexes it produced.</summary>
    /// <param name="regex">The regex.</param>
    /// <param name="requestUrl">The pattern (non-ASCII characters stay percent-encoded).</param>
    /// <returns>Whether the regex had the shape this class produces.</returns>
    public static bool TryRegexToPathPattern(string regex, out string requestUrl)
    {
        requestUrl = "";
        if (!regex.StartsWith('^'))
        {
            return false;
        }

        var body = regex.AsSpan(1);
        var anchored = body.EndsWith("\\z");
        if (anchored)
        {
            body = body[..^2];
        }

        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '.' && i + 1 < body.Length && body[i + 1] == '*')
            {
                sb.Append('*');
                i++;
            }
            else if (c == '\\' && i + 1 < body.Length && body[i + 1] == 'x' && i + 3 < body.Length
                && byte.TryParse(body.Slice(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                sb.Append((char)b);
                i += 3;
            }
            else if (c == '\\' && i + 1 < body.Length && body[i + 1] == '.')
            {
                sb.Append('.');
                i++;
            }
            else if (IsPlainPathChar(c))
            {
                sb.Append(c);
            }
            else
            {
                return false;
            }
        }

        requestUrl = sb.ToString();
        return anchored != requestUrl.EndsWith('*') && requestUrl.StartsWith('/');
    }

    /// <summary>A regex matching exactly one of the given host names, case-insensitively, as the host of a <c>Referer</c> URL.</summary>
    /// <param name="hosts">Validated host names.</param>
    /// <returns>For example <c>(?i)^https?://(a\.example\.com|b\.example\.com)(:[0-9]+)?(/|\z)</c>.</returns>
    public static string RefererRegex(IEnumerable<string> hosts) =>
        "(?i)^https?://(" + string.Join('|', hosts.Select(EscapeText)) + ")(:[0-9]+)?(/|\\z)";

    /// <summary>A regex matching exactly one of the given country codes.</summary>
    /// <param name="countryCodes">ISO 3166-1 alpha-2 codes.</param>
    /// <returns>For example <c>^(US|CA)\z</c>.</returns>
    public static string CountryRegex(IEnumerable<string> countryCodes) =>
        "^(" + string.Join('|', countryCodes.Select(EscapeText)) + ")\\z";

    /// <summary>Escapes text so that a regex matches it literally (every character outside <c>[A-Za-z0-9_-]</c> is escaped).</summary>
    /// <param name="text">The text (ASCII).</param>
    /// <returns>The escaped text.</returns>
    /// <exception cref="ArgumentException">The text contains non-ASCII characters.</exception>
    public static string EscapeText(string text)
    {
        var sb = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            if (!char.IsAscii(c))
            {
                throw new ArgumentException("Only ASCII text can be matched (host names are stored in punycode).", nameof(text));
            }

            AppendLiteral(sb, c);
        }

        return sb.ToString();
    }

    private static bool IsPlainPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '~';

    private static void AppendLiteral(StringBuilder sb, char c)
    {
        if (IsPlainPathChar(c))
        {
            sb.Append(c);
        }
        else if (c == '.')
        {
            sb.Append("\\.");
        }
        else
        {
            AppendHexEscape(sb, c);
        }
    }

    private static void AppendHexEscape(StringBuilder sb, char c) =>
        sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
}
