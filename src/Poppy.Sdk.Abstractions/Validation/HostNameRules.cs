using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Poppy.Sdk.Validation.Internal;

namespace Poppy.Sdk.Validation;

/// <summary>
/// The host-name syntax of the Poppy model (DESIGN §2.1): ASCII labels of 1–63 characters from
/// <c>a-z</c>, <c>0-9</c> and <c>-</c> with no leading or trailing hyphen, at least two labels, a
/// top-level label of letters (or an <c>xn--</c> A-label), 3–253 characters in all, no wildcard and no
/// trailing dot. Used for domains, referrers, custom host headers and origin host names.
/// </summary>
public static class HostNameRules
{
    /// <summary>The shortest host name accepted.</summary>
    public const int MinLength = 3;

    /// <summary>The longest host name accepted (the DNS limit).</summary>
    public const int MaxLength = 253;

    /// <summary>The longest label accepted (the DNS limit).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// Whether <paramref name="hostName"/> is a syntactically valid ASCII host name as written (no
    /// trimming, no IDN conversion). Letters may be of either case, as DNS ignores case; normalised
    /// specs hold lower case.
    /// </summary>
    /// <param name="hostName">The host name, for example <c>www.example.com</c>.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidHostName([NotNullWhen(true)] string? hostName) =>
        hostName is not null && DescribeSyntaxProblem(hostName.ToLowerInvariant()) is null;

    /// <summary>
    /// Normalises a host name the way the validator does — trims it, lower-cases it and converts an
    /// internationalised name to its punycode A-label form (<c>bücher.example.com</c> →
    /// <c>xn--bcher-kva.example.com</c>) — and checks the result with <see cref="IsValidHostName"/>.
    /// </summary>
    /// <param name="input">The host name as written.</param>
    /// <param name="hostName">The normalised host name, when valid.</param>
    /// <returns>True when the normalised host name is valid.</returns>
    public static bool TryNormalizeHostName(string? input, [NotNullWhen(true)] out string? hostName)
    {
        hostName = Normalize(input, out var problem);
        if (problem is not null)
        {
            hostName = null;
        }

        return hostName is not null;
    }

    /// <summary>
    /// Trims, lower-cases and converts to punycode, then checks the syntax. Returns the normalised
    /// name (or the best effort at it) and, when invalid, a reason a person understands.
    /// </summary>
    internal static string? Normalize(string? input, out string? problem)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            problem = "it is empty";
            return null;
        }

        var text = input.Trim();
        problem = DescribeShapeProblem(text);
        if (problem is not null)
        {
            return text;
        }

        var lower = text.ToLowerInvariant();
        if (!Ascii.IsValid(lower))
        {
            try
            {
                lower = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(lower).ToLowerInvariant();
            }
            catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
            {
                problem = "it is not a valid internationalised domain name (it cannot be converted to punycode)";
                return text;
            }
        }

        problem = DescribeSyntaxProblem(lower);
        return lower;
    }

    /// <summary>Mistakes that are easier to explain before any conversion: schemes, wildcards, spaces, trailing dots.</summary>
    internal static string? DescribeShapeProblem(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            return $"it includes a scheme ('{Text.Truncate(text[..(scheme + 3)], 16)}'); give the host name only, like 'www.example.com'";
        }

        if (text.Contains('*', StringComparison.Ordinal))
        {
            return "it contains a wildcard '*'; wildcards are not allowed, list each host name";
        }

        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "it contains spaces or control characters";
        }

        if (text.EndsWith('.'))
        {
            return "it ends with a dot; write it without the trailing dot";
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            return "it contains '/'; a host name has no path";
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return "it contains ':'; a host name has no port";
        }

        return null;
    }

    /// <summary>Checks a lower-case ASCII host name; returns why it is invalid, or null when valid.</summary>
    internal static string? DescribeSyntaxProblem(string host)
    {
        var shape = DescribeShapeProblem(host);
        if (shape is not null)
        {
            return shape;
        }

        if (host.Length is < MinLength or > MaxLength)
        {
            return $"it is {host.Length} characters long; a host name has {MinLength}–{MaxLength}";
        }

        foreach (var c in host)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
            {
                return $"it contains {Text.Quote(c.ToString())}; only letters a–z, digits, '-' and '.' are allowed";
            }
        }

        var labels = host.Split('.');
        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                return "it has an empty label (a leading dot or two dots in a row)";
            }

            if (label.Length > MaxLabelLength)
            {
                return $"its label {Text.Quote(label)} is {label.Length} characters long; a label has at most {MaxLabelLength}";
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return $"its label {Text.Quote(label)} starts or ends with a hyphen";
            }
        }

        if (labels.Length < 2)
        {
            return "it is a single label; a host name needs at least two, like 'www.example.com'";
        }

        var tld = labels[^1];
        if (!tld.StartsWith("xn--", StringComparison.Ordinal) && (tld.Length < 2 || !tld.All(char.IsAsciiLetter)))
        {
            return $"its top-level label {Text.Quote(tld)} must be at least two letters (or an 'xn--' label)";
        }

        return null;
    }

    /// <summary>Whether <paramref name="label"/> is the single label of a <c>shared</c>-certificate domain (<c>mysite</c>).</summary>
    internal static bool IsSharedLabel(string label)
    {
        if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        return label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
    }
}
