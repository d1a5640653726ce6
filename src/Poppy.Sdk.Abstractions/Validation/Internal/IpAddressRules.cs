using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>
/// Strict IP literal and CIDR syntax. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> alone is
/// too lenient for validation (it reads <c>1.2.3</c> as <c>1.2.0.3</c>), so IPv4 is parsed here as
/// exactly four decimal numbers 0–255.
/// </summary>
internal static class IpAddressRules
{
    /// <summary>Whether <paramref name="text"/> is four dot-separated decimal numbers 0–255 (no leading zeros).</summary>
    public static bool IsIPv4(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4 || part.Length is 0 or > 3 || !part.ContainsOnlyDigits() || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            if (int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return parts == 4;
    }

    /// <summary>Whether <paramref name="text"/> is an IPv6 address (no brackets, no zone id, no prefix).</summary>
    public static bool IsIPv6(string text) =>
        text.Contains(':', StringComparison.Ordinal) &&
        !text.Contains('%', StringComparison.Ordinal) &&
        !text.Contains('[', StringComparison.Ordinal) &&
        text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') &&
        IPAddress.TryParse(text, out var address) &&
        address.AddressFamily == AddressFamily.InterNetworkV6 &&
        (!text.Contains('.', StringComparison.Ordinal) || IsIPv4(text.AsSpan(text.LastIndexOf(':') + 1)));

    /// <summary>
    /// Checks a client IP: an IPv4 or IPv6 address with an optional CIDR suffix (/0–32 or /0–128).
    /// Returns why it is invalid, or null when valid.
    /// </summary>
    public static string? DescribeClientIpProblem(string text)
    {
        if (text.Length == 0)
        {
            return "it is empty";
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? text : text[..slash];
        bool v6;
        if (IsIPv4(address))
        {
            v6 = false;
        }
        else if (IsIPv6(address))
        {
            v6 = true;
        }
        else
        {
            var subject = slash < 0 ? "it" : $"its address {Text.Quote(address)}";
            return address.Contains(':', StringComparison.Ordinal)
                ? $"{subject} is not a valid IPv6 address"
                : $"{subject} is not a valid IPv4 address (four numbers 0–255 separated by dots)";
        }

        if (slash < 0)
        {
            return null;
        }

        var max = v6 ? 128 : 32;
        var prefix = text.AsSpan(slash + 1);
        if (prefix.Length is 0 or > 3 || !prefix.ContainsOnlyDigits() ||
            int.Parse(prefix, NumberStyles.None, CultureInfo.InvariantCulture) > max)
        {
            return $"the network prefix {Text.Quote("/" + prefix.ToString())} is not allowed; an {(v6 ? "IPv6" : "IPv4")} prefix is /0 to /{max}";
        }

        return null;
    }

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
