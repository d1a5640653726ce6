using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;

namespace Poppy.Sdk.State;

/// <summary>
/// The JSON columns of a durable catalog: the spec as a Poppy v1 document, the provider details and the pending
/// clean-ups as arrays; compact (no indentation) and through the source-generated context (trim- and AOT-safe).
/// Shared as source by the SQLite and PostgreSQL stores so both store the same documents.
/// </summary>
internal static class CatalogJson
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false };

    public static string SerializeSpec(ServiceSpec spec) => Write(spec, static (w, s) => JsonSerializer.Serialize(w, s, PoppyJsonContext.Default.ServiceSpec));

    public static string SerializeProviders(IReadOnlyList<ProviderServiceDetails> providers) => WriteArray(providers, PoppyJsonContext.Default.ProviderServiceDetails);

    public static string SerializeStrings(IReadOnlyList<string> values) => Write(values, static (w, list) =>
    {
        w.WriteStartArray();
        foreach (var value in list)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    });

    /// <summary>The containment document <c>[{"provider": p, "vendor_service_id": v}]</c> (PostgreSQL's <c>@&gt;</c>).</summary>
    public static string VendorIdProbe(string provider, string vendorServiceId) => Write((provider, vendorServiceId), static (w, p) =>
    {
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteString("provider", p.provider);
        w.WriteString("vendor_service_id", p.vendorServiceId);
        w.WriteEndObject();
        w.WriteEndArray();
    });

    /// <summary>A journal entry's error (<see cref="OperationJournalEntry.Error"/>), as the catalog stores a provider's.</summary>
    public static string SerializeError(ProviderError error) => Write(error, static (w, e) => JsonSerializer.Serialize(w, e, PoppyJsonContext.Default.ProviderError));

    public static ProviderError DeserializeError(string json) =>
        JsonSerializer.Deserialize(json, PoppyJsonContext.Default.ProviderError) ?? throw new JsonException("The stored error is the JSON literal null.");

    public static ServiceSpec DeserializeSpec(string json) =>
        JsonSerializer.Deserialize(json, PoppyJsonContext.Default.ServiceSpec) ?? throw new JsonException("The stored spec is the JSON literal null.");

    public static List<ProviderServiceDetails> DeserializeProviders(string json) => ReadArray(json, PoppyJsonContext.Default.ProviderServiceDetails);

    public static List<string> DeserializeStrings(string json)
    {
        var list = new List<string>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.GetString() ?? throw new JsonException("A stored pending clean-up is null."));
        }

        return list;
    }

    public static CdnService Service(string serviceId, long version, string spec, string providers, string pendingCleanup) => new()
    {
        ServiceId = serviceId,
        Version = version,
        Spec = DeserializeSpec(spec),
        Providers = DeserializeProviders(providers),
        PendingCleanup = DeserializeStrings(pendingCleanup),
    };

    private static string WriteArray<T>(IReadOnlyList<T> items, JsonTypeInfo<T> typeInfo) => Write((items, typeInfo), static (w, state) =>
    {
        w.WriteStartArray();
        foreach (var item in state.items)
        {
            JsonSerializer.Serialize(w, item, state.typeInfo);
        }

        w.WriteEndArray();
    });

    private static List<T> ReadArray<T>(string json, JsonTypeInfo<T> typeInfo)
    {
        var list = new List<T>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(JsonSerializer.Deserialize(ref reader, typeInfo) ?? throw new JsonException("A stored array item is null."));
        }

        return list;
    }

    private static string Write<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new JsonException("A stored column is not a JSON array.");
        }
    }
}
