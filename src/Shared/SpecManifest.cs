using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;

namespace Poppy.Sdk.Internal;

/// <summary>
/// The desired spec kept on the vendor resource, so a read-back keeps the names and order the vendor does not
/// store and drift can be computed against what was asked for. One encoding for every vendor: the Poppy JSON
/// document, deflated, in base64 (<see cref="Encode"/>), stored whole where a field is long enough (Fastly's version
/// comment, after <see cref="CommentPrefix"/>) or in numbered chunks where values are short (CloudFront's tags
/// <c>poppy:manifest:00</c>, <c>…:01</c>; <see cref="Split"/>).
/// </summary>
internal static class SpecManifest
{
    /// <summary>The prefix of a manifest kept in a free-text field.</summary>
    public const string CommentPrefix = "poppy:manifest:v2 ";

    /// <summary>The key prefix of manifest chunks kept as tags (<c>poppy:manifest:00</c>, …).</summary>
    public const string TagPrefix = "poppy:manifest:";

    /// <summary>The first format (Fastly only): the JSON document itself; still read, never written.</summary>
    private const string LegacyJsonPrefix = "poppy:manifest:v1 ";

    /// <summary>The spec's compact Poppy JSON, deflated and base64-encoded.</summary>
    /// <param name="spec">The (normalised) spec.</param>
    /// <returns>The encoded manifest.</returns>
    public static string Encode(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // The context writes indented JSON; the manifest is compact before it is deflated.
        var document = JsonSerializer.SerializeToElement(spec, PoppyJsonContext.Default.ServiceSpec);
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var writer = new Utf8JsonWriter(deflate, new JsonWriterOptions { Indented = false }))
        {
            document.WriteTo(writer);
        }

        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads an encoded manifest; null when it is not one (edited, cut, or from another tool).</summary>
    /// <param name="encoded">The encoded manifest.</param>
    /// <returns>The spec, or null.</returns>
    public static ServiceSpec? Decode(string? encoded)
    {
        if (string.IsNullOrWhiteSpace(encoded))
        {
            return null;
        }

        try
        {
            using var input = new MemoryStream(Convert.FromBase64String(encoded));
            using var deflate = new DeflateStream(input, CompressionMode.Decompress);
            using var reader = new StreamReader(deflate, Encoding.UTF8);
            return PoppyJson.DeserializeService(reader.ReadToEnd());
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException or CdnValidationException)
        {
            return null;
        }
    }

    /// <summary>The manifest as a free-text field: <see cref="CommentPrefix"/> and the encoded spec.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The field's value.</returns>
    public static string ToComment(ServiceSpec spec) => CommentPrefix + Encode(spec);

    /// <summary>Reads a manifest from a free-text field (this format, or Fastly's first, plain-JSON one); null when absent or unreadable.</summary>
    /// <param name="comment">The field's value.</param>
    /// <returns>The spec, or null.</returns>
    public static ServiceSpec? FromComment(string? comment)
    {
        if (comment is null)
        {
            return null;
        }

        if (comment.StartsWith(CommentPrefix, StringComparison.Ordinal))
        {
            return Decode(comment[CommentPrefix.Length..]);
        }

        if (!comment.StartsWith(LegacyJsonPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return PoppyJson.DeserializeService(comment[LegacyJsonPrefix.Length..]);
        }
        catch (Exception ex) when (ex is JsonException or CdnValidationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The manifest as numbered chunks of at most <paramref name="chunkLength"/> characters, keyed
    /// <c>poppy:manifest:00</c>, <c>…:01</c>, …; empty when it would take more than <paramref name="maxChunks"/>
    /// (then read-backs reconstruct the spec from the vendor's objects alone).
    /// </summary>
    /// <param name="spec">The spec.</param>
    /// <param name="chunkLength">The longest value (CloudFront tags: 256).</param>
    /// <param name="maxChunks">The most chunks the resource can hold.</param>
    /// <returns>The key/value pairs.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> Split(ServiceSpec spec, int chunkLength, int maxChunks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkLength, 1);
        var encoded = Encode(spec);
        var count = (encoded.Length + chunkLength - 1) / chunkLength;
        if (count > maxChunks || count > 100)
        {
            return [];
        }

        var chunks = new List<KeyValuePair<string, string>>(count);
        for (var i = 0; i < count; i++)
        {
            var start = i * chunkLength;
            chunks.Add(KeyValuePair.Create(
                TagPrefix + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture),
                encoded.Substring(start, Math.Min(chunkLength, encoded.Length - start))));
        }

        return chunks;
    }

    /// <summary>Reads a manifest kept as chunks (<see cref="Split"/>) among other key/value pairs; null when absent or unreadable.</summary>
    /// <param name="pairs">The resource's tags.</param>
    /// <returns>The spec, or null.</returns>
    public static ServiceSpec? Join(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var parts = pairs
            .Where(t => t.Key.StartsWith(TagPrefix, StringComparison.Ordinal) && t.Key.Length == TagPrefix.Length + 2 && char.IsAsciiDigit(t.Key[^1]) && char.IsAsciiDigit(t.Key[^2]))
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => t.Value)
            .ToList();
        return parts.Count == 0 ? null : Decode(string.Concat(parts));
    }
}
