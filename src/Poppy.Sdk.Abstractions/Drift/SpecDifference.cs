using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;

namespace Poppy.Sdk;

/// <summary>One way the vendor's configuration differs from the desired spec the provider stamped on it.</summary>
/// <param name="Path">Where, as a JSON pointer into the Poppy document (<c>/caching/0/ttl</c>).</param>
/// <param name="Desired">The desired value as JSON text; null when the vendor has something the spec does not.</param>
/// <param name="Actual">The vendor's value as JSON text; null when the vendor lacks something the spec has.</param>
public sealed record SpecDifference(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("desired")] string? Desired,
    [property: JsonPropertyName("actual")] string? Actual)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: desired {Desired ?? "(absent)"}, actual {Actual ?? "(absent)"}";
}

/// <summary>Compares two specs field by field, in the Poppy document's terms.</summary>
public static class ServiceSpecComparer
{
    /// <summary>
    /// Lists every difference between <paramref name="desired"/> and <paramref name="actual"/>, comparing their
    /// Poppy JSON documents: objects by member, arrays by index. Empty when they are equal.
    /// </summary>
    /// <param name="desired">The spec as stamped.</param>
    /// <param name="actual">The spec read back from the vendor.</param>
    /// <returns>The differences, in document order.</returns>
    public static IReadOnlyList<SpecDifference> Compare(ServiceSpec desired, ServiceSpec actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        var left = JsonSerializer.SerializeToNode(desired, PoppyJsonContext.Default.ServiceSpec);
        var right = JsonSerializer.SerializeToNode(actual, PoppyJsonContext.Default.ServiceSpec);
        var differences = new List<SpecDifference>();
        Walk("", left, right, differences);
        return differences;
    }

    private static void Walk(string path, JsonNode? desired, JsonNode? actual, List<SpecDifference> differences)
    {
        if (desired is JsonObject a && actual is JsonObject b)
        {
            foreach (var (key, value) in a)
            {
                Walk(path + "/" + Escape(key), value, b.TryGetPropertyValue(key, out var other) ? other : null, differences);
            }

            foreach (var (key, value) in b)
            {
                if (!a.ContainsKey(key))
                {
                    Walk(path + "/" + Escape(key), null, value, differences);
                }
            }

            return;
        }

        if (desired is JsonArray x && actual is JsonArray y)
        {
            for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
            {
                Walk(path + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), i < x.Count ? x[i] : null, i < y.Count ? y[i] : null, differences);
            }

            return;
        }

        if (!JsonNode.DeepEquals(desired, actual))
        {
            differences.Add(new SpecDifference(path.Length == 0 ? "/" : path, desired?.ToJsonString(), actual?.ToJsonString()));
        }
    }

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
