using System.Text.Json;
using System.Text.Json.Serialization;

namespace Poppy.Sdk.Validation.Internal;

/// <summary><c>Data/geography.json</c>: Poppy's country names → ISO code, and region names → member codes.</summary>
internal sealed class GeographyFile
{
    [JsonPropertyName("countries")]
    public Dictionary<string, string> Countries { get; init; } = [];

    [JsonPropertyName("regions")]
    public Dictionary<string, string[]> Regions { get; init; } = [];
}

/// <summary><c>Data/iso-country-codes.json</c>: every ISO 3166-1 alpha-2 code.</summary>
internal sealed class CountryCodesFile
{
    [JsonPropertyName("codes")]
    public string[] Codes { get; init; } = [];
}

/// <summary><c>Data/public-suffixes.json</c>: the public suffixes of two or more labels (single labels are implicit).</summary>
internal sealed class PublicSuffixesFile
{
    [JsonPropertyName("suffixes")]
    public string[] Suffixes { get; init; } = [];
}

/// <summary>Source-generated (trim-safe) metadata for the embedded validation data.</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(GeographyFile))]
[JsonSerializable(typeof(CountryCodesFile))]
[JsonSerializable(typeof(PublicSuffixesFile))]
internal sealed partial class ValidationDataJsonContext : JsonSerializerContext;

/// <summary>Reads the JSON files embedded under <c>Data/</c> (logical names <c>Poppy.Sdk.Data.&lt;file&gt;</c>).</summary>
internal static class EmbeddedData
{
    public static T Read<T>(string fileName, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var resource = "Poppy.Sdk.Data." + fileName;
        var assembly = typeof(EmbeddedData).Assembly;
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource '{resource}' is missing from {assembly.GetName().Name}; the package is damaged.");
        return JsonSerializer.Deserialize(stream, typeInfo)
            ?? throw new InvalidOperationException($"The embedded resource '{resource}' is empty.");
    }
}
