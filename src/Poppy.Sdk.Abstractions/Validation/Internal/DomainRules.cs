using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>Apex ("root") domain detection from the public-suffix list shipped as <c>Data/public-suffixes.json</c>.</summary>
internal static class DomainRules
{
    private static readonly Lazy<FrozenSet<string>> s_suffixes = new(Load);

    /// <summary>
    /// Whether a valid, normalised host name is an apex: a registrable domain (one label under a public
    /// suffix, such as <c>example.com</c> or <c>mywebsite.co.uk</c>) or a public suffix itself. A CNAME
    /// cannot sit there, so a CDN domain cannot either.
    /// </summary>
    public static bool IsApex(string host, [NotNullWhen(true)] out string? suffix)
    {
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && IsPublicSuffix(host[(dot + 1)..]))
        {
            suffix = host[(dot + 1)..];
            return true;
        }

        if (dot >= 0 && IsPublicSuffix(host))
        {
            suffix = host;
            return true;
        }

        suffix = null;
        return false;
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a public suffix: any single label (every top-level domain is
    /// one, the list's implicit <c>*</c> rule) or a name on the shipped list.
    /// </summary>
    public static bool IsPublicSuffix(string name) =>
        !name.Contains('.', StringComparison.Ordinal) || s_suffixes.Value.Contains(name);

    private static FrozenSet<string> Load() =>
        EmbeddedData.Read("public-suffixes.json", ValidationDataJsonContext.Default.PublicSuffixesFile)
            .Suffixes.Select(s => s.ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);
}
