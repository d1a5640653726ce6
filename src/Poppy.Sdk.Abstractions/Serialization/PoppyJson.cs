using System.Text.Json;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Serialization;

/// <summary>Reads and writes the Poppy v1 service document (trim- and AOT-safe).</summary>
public static class PoppyJson
{
    /// <summary>Parses a Poppy v1 service document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The service spec, as written (defaults are applied by validation).</returns>
    /// <exception cref="JsonException">The text is not JSON, or a field has the wrong type.</exception>
    public static ServiceSpec DeserializeService(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, PoppyJsonContext.Default.ServiceSpec)
            ?? throw new JsonException("The document is the JSON literal null, not a service object.");
    }

    /// <summary>Parses a Poppy v1 service document from a stream.</summary>
    /// <param name="utf8Json">UTF-8 JSON.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The service spec, as written.</returns>
    /// <exception cref="JsonException">The text is not JSON, or a field has the wrong type.</exception>
    public static async Task<ServiceSpec> DeserializeServiceAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return await JsonSerializer.DeserializeAsync(utf8Json, PoppyJsonContext.Default.ServiceSpec, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("The document is the JSON literal null, not a service object.");
    }

    /// <summary>Writes a service spec as a Poppy v1 service document.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return JsonSerializer.Serialize(spec, PoppyJsonContext.Default.ServiceSpec);
    }
}
