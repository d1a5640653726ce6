using System.Collections.Frozen;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>
/// The geography table behind <see cref="GeographyCatalog"/>: ISO codes from <c>Data/iso-country-codes.json</c>,
/// and Poppy's country and region names from <c>Data/geography.json</c>, each resolved to sorted codes.
/// </summary>
internal sealed class GeographyData
{
    private static readonly Lazy<GeographyData> s_instance = new(Load);

    private GeographyData(FrozenSet<string> countryCodes, FrozenDictionary<string, IReadOnlyList<string>> byName, IReadOnlyList<string> names)
    {
        CountryCodes = countryCodes;
        ByName = byName;
        Names = names;
    }

    public static GeographyData Instance => s_instance.Value;

    /// <summary>Upper-case codes, looked up ignoring case.</summary>
    public FrozenSet<string> CountryCodes { get; }

    /// <summary>Name → sorted, distinct codes, looked up ignoring case.</summary>
    public FrozenDictionary<string, IReadOnlyList<string>> ByName { get; }

    /// <summary>The names as spelled in the data: countries, then regions.</summary>
    public IReadOnlyList<string> Names { get; }

    private static GeographyData Load() => Create(
        EmbeddedData.Read("iso-country-codes.json", ValidationDataJsonContext.Default.CountryCodesFile),
        EmbeddedData.Read("geography.json", ValidationDataJsonContext.Default.GeographyFile));

    internal static GeographyData Create(CountryCodesFile iso, GeographyFile geography)
    {
        var codes = new HashSet<string>(iso.Codes.Select(c => c.ToUpperInvariant()), StringComparer.OrdinalIgnoreCase);
        var byName = new Dictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();

        void Add(string name, IEnumerable<string> members)
        {
            if (!byName.TryGetValue(name, out var set))
            {
                byName[name] = set = new SortedSet<string>(StringComparer.Ordinal);
                names.Add(name);
            }

            foreach (var code in members)
            {
                var upper = code.ToUpperInvariant();
                set.Add(upper);
                codes.Add(upper); // a code used by a name is a known code, whatever the ISO file says
            }
        }

        foreach (var (name, code) in geography.Countries)
        {
            Add(name, [code]);
        }

        foreach (var (name, members) in geography.Regions)
        {
            Add(name, members);
        }

        return new GeographyData(
            codes.ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            byName.ToFrozenDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value], StringComparer.OrdinalIgnoreCase),
            names);
    }
}
