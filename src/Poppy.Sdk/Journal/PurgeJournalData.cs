using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Poppy.Sdk.Journal;

/// <summary>One provider's share of a journaled purge: its name, and its own items when they differ from the request's (a retry of failed batches).</summary>
internal sealed record PurgeJournalQueue(string Provider, IReadOnlyList<string>? Items);

/// <summary>
/// What a journaled purge needs to be resumed by another instance (<see cref="OperationJournalEntry.Data"/>): the purge
/// id (the vendors' idempotency keys derive from it), the request, whether to wait for the vendors, and each provider's
/// share. Written by hand with <see cref="Utf8JsonWriter"/> (trim- and AOT-safe).
/// </summary>
internal sealed record PurgeJournalData(Guid PurgeId, PurgeRequest Request, bool WaitForVendor, IReadOnlyList<PurgeJournalQueue> Queues)
{
    private const int FormatVersion = 1;

    public string Write()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", FormatVersion);
            w.WriteString("purge_id", PurgeId.ToString("N"));
            w.WriteString("kind", Request.Kind.ToString());
            w.WriteString("mode", Request.Mode.ToString());
            if (Request.IdempotencyKey is { } key)
            {
                w.WriteString("idempotency_key", key);
            }

            WriteItems(w, "items", Request.Items);
            w.WriteBoolean("wait_for_vendor", WaitForVendor);
            w.WriteStartArray("queues");
            foreach (var queue in Queues)
            {
                w.WriteStartObject();
                w.WriteString("provider", queue.Provider);
                if (queue.Items is { } items)
                {
                    WriteItems(w, "items", items);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <exception cref="FormatException">The data is not a journaled purge this library can read.</exception>
    public static PurgeJournalData Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() != FormatVersion)
            {
                throw new FormatException($"The journaled purge has format version {root.GetProperty("v").GetInt32()}; this library reads version {FormatVersion}.");
            }

            var request = new PurgeRequest
            {
                Kind = Enum.Parse<PurgeKind>(root.GetProperty("kind").GetString()!),
                Mode = Enum.Parse<PurgeMode>(root.GetProperty("mode").GetString()!),
                IdempotencyKey = root.TryGetProperty("idempotency_key", out var key) ? key.GetString() : null,
                Items = ReadItems(root.GetProperty("items")),
            };
            var queues = new List<PurgeJournalQueue>();
            foreach (var queue in root.GetProperty("queues").EnumerateArray())
            {
                queues.Add(new PurgeJournalQueue(queue.GetProperty("provider").GetString()!, queue.TryGetProperty("items", out var items) ? ReadItems(items) : null));
            }

            return new PurgeJournalData(Guid.ParseExact(root.GetProperty("purge_id").GetString()!, "N"), request, root.GetProperty("wait_for_vendor").GetBoolean(), queues);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            throw new FormatException("The journaled purge data is malformed: " + ex.Message, ex);
        }
    }

    private static void WriteItems(Utf8JsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStringValue(item);
        }

        w.WriteEndArray();
    }

    private static List<string> ReadItems(JsonElement array)
    {
        var list = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            list.Add(item.GetString()!);
        }

        return list;
    }
}
