using System.Buffers;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;

namespace Poppy.Sdk.Journal;

/// <summary>
/// What a journaled create or update needs to be finished by another instance (<see cref="OperationJournalEntry.Data"/>):
/// the normalized spec it converges to. The catalog may not hold it yet (the owner stopped before saving it), and a
/// provider whose record shows no operation in flight may not have been sent it (the owner stopped before reaching
/// it, or between the vendor's answer and the record). Written by hand with <see cref="Utf8JsonWriter"/>, the spec as a
/// Poppy v1 document.
/// </summary>
internal static class ServiceJournalData
{
    private const int FormatVersion = 1;

    public static string Write(ServiceSpec spec)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", FormatVersion);
            w.WritePropertyName("spec");
            JsonSerializer.Serialize(w, spec, PoppyJsonContext.Default.ServiceSpec);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The journaled spec; null for an entry journaled without one.</summary>
    /// <exception cref="FormatException">The data is not a journaled service operation this library can read.</exception>
    public static ServiceSpec? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var version = root.GetProperty("v").GetInt32();
            if (version != FormatVersion)
            {
                throw new FormatException($"The journaled operation has format version {version}; this library reads version {FormatVersion}.");
            }

            return root.GetProperty("spec").Deserialize(PoppyJsonContext.Default.ServiceSpec) ?? throw new JsonException("The journaled spec is null.");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("The journaled operation's data is malformed: " + ex.Message, ex);
        }
    }
}
