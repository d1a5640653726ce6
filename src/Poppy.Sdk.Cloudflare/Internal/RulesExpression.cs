using System.Globalization;
using System.Net;
using System.Text;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// Writes the pieces of Cloudflare Rules language expressions Poppy generates. No user string is concatenated raw:
/// string literals escape <c>"</c> and <c>\</c> (the language's only escapes) and refuse control characters (a newline
/// has no escape); IP addresses and country codes are re-parsed and written in canonical form; anything else is refused
/// with a reason (the translator turns it into a plan problem).
/// </summary>
internal static class RulesExpression
{
    /// <summary>The field holding the request path (no query string).</summary>
    public const string PathField = "http.request.uri.path";

    /// <summary>A string literal, or null with <paramref name="problem"/> when the value cannot be one.</summary>
    public static string? String(string value, out string? problem)
    {
        problem = null;
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                problem = "it contains a control character (a newline, a tab…), which a Cloudflare rule expression cannot hold";
                return null;
            }

            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A string literal of a value already known to be safe (host names, country codes); throws otherwise.</summary>
    public static string SafeString(string value) =>
        String(value, out var problem) ?? throw new ArgumentException($"'{value}' cannot be a Rules language string: {problem}.", nameof(value));

    /// <summary><c>http.host in {"a.example" "b.example"}</c>: the scope of every rule of a service.</summary>
    public static string HostScope(IEnumerable<string> hosts) =>
        "http.host in {" + string.Join(' ', hosts.Select(SafeString)) + "}";

    /// <summary>
    /// The condition on the request path of a Poppy <c>request_url</c> (already starting with <c>/</c>): none for the
    /// catch-all <c>/*</c>; <c>starts_with(…)</c> for a trailing <c>*</c>; <c>eq</c> without a wildcard; <c>strict
    /// wildcard</c> (case-sensitive, like the path) otherwise. A query string or a backslash is refused.
    /// </summary>
    public static string? PathCondition(string requestUrl, out string? problem)
    {
        problem = null;
        if (requestUrl is "/*" or "*")
        {
            return null;
        }

        if (requestUrl.Contains('?', StringComparison.Ordinal))
        {
            problem = $"'{requestUrl}' has a query string, but {PathField} never includes one";
            return null;
        }

        var star = requestUrl.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return String(requestUrl, out problem) is { } exact ? $"{PathField} eq {exact}" : null;
        }

        if (star == requestUrl.Length - 1)
        {
            return String(requestUrl[..^1], out problem) is { } prefix ? $"starts_with({PathField}, {prefix})" : null;
        }

        if (requestUrl.Contains('\\', StringComparison.Ordinal))
        {
            // In a wildcard pattern a backslash escapes the next character: refuse it rather than guess.
            problem = $"'{requestUrl}' has a backslash, which a Cloudflare wildcard pattern reads as an escape";
            return null;
        }

        return String(requestUrl, out problem) is { } pattern ? $"{PathField} strict wildcard {pattern}" : null;
    }

    /// <summary>An IP address or CIDR range in canonical form (<c>192.0.2.0/24</c>), or null when it is not one.</summary>
    public static string? IpOrRange(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? value : value[..slash];
        if (!IPAddress.TryParse(address, out var ip) || address.Contains('%', StringComparison.Ordinal))
        {
            return null;
        }

        var max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        if (slash < 0)
        {
            return ip.ToString();
        }

        var suffix = value[(slash + 1)..];
        return suffix.Length is > 0 and <= 3 && suffix.All(char.IsAsciiDigit) && int.Parse(suffix, CultureInfo.InvariantCulture) is var bits && bits <= max
            ? ip + "/" + bits.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Whether a value is an ISO 3166-1 alpha-2 code as Cloudflare writes it (two upper-case ASCII letters).</summary>
    public static bool IsCountryCode(string value) => value.Length == 2 && value.All(char.IsAsciiLetterUpper);

    /// <summary>Joins conditions with <c>and</c>, skipping nulls.</summary>
    public static string And(params IEnumerable<string?> parts) => string.Join(" and ", parts.Where(p => p is not null));
}
