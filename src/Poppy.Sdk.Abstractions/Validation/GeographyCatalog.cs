using System.Diagnostics.CodeAnalysis;
using Poppy.Sdk.Validation.Internal;

namespace Poppy.Sdk.Validation;

/// <summary>
/// The geographies a restriction rule may name: ISO 3166-1 alpha-2 country codes (<c>US</c>) and
/// OpenStack Poppy's country and region names (<c>USA</c>, <c>United Kingdom</c>, <c>North America</c>,
/// <c>EMEA(Europe, Middle East and Africa)</c>, …), with the typos of Poppy's table fixed. Names and
/// codes are matched ignoring case. The table is data shipped in the assembly, loaded once on first use.
/// </summary>
public static class GeographyCatalog
{
    /// <summary>Every ISO 3166-1 alpha-2 code known, upper case.</summary>
    public static IReadOnlyCollection<string> CountryCodes => GeographyData.Instance.CountryCodes;

    /// <summary>Every Poppy country and region name, as Poppy spells it.</summary>
    public static IReadOnlyCollection<string> Names => GeographyData.Instance.Names;

    /// <summary>
    /// Resolves a geography to the country codes it stands for: a code to itself, a country name to
    /// its code, a region to its member countries.
    /// </summary>
    /// <param name="geography">A code or name, matched ignoring case and surrounding spaces.</param>
    /// <param name="countryCodes">The upper-case ISO codes, sorted; empty when not found.</param>
    /// <returns>Whether the geography is known.</returns>
    public static bool TryResolve([NotNullWhen(true)] string? geography, out IReadOnlyList<string> countryCodes)
    {
        var data = GeographyData.Instance;
        var key = geography?.Trim();
        if (!string.IsNullOrEmpty(key))
        {
            if (key.Length == 2 && data.CountryCodes.Contains(key))
            {
                countryCodes = [key.ToUpperInvariant()];
                return true;
            }

            if (data.ByName.TryGetValue(key, out var codes))
            {
                countryCodes = codes;
                return true;
            }
        }

        countryCodes = [];
        return false;
    }
}
