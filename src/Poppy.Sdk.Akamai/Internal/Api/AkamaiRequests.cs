using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Poppy.Sdk.Akamai.Internal.Api;

/// <summary>Paths, bodies and helpers the Akamai resource clients share.</summary>
internal sealed class AkamaiRequests(AkamaiCdnProviderOptions options)
{
    /// <summary>Sent with every PAPI call: ids are prefixed (<c>prp_</c>, <c>ctr_</c>, <c>grp_</c>, <c>cpc_</c>, <c>ehn_</c>, <c>atv_</c>).</summary>
    public static readonly KeyValuePair<string, string> UsePrefixes = new("PAPI-Use-Prefixes", "true");

    /// <summary>A PAPI path under <c>papi/v1/</c> with <c>contractId</c>, <c>groupId</c> and, when configured, <c>accountSwitchKey</c>.</summary>
    public string Papi(string path, string? extraQuery = null) =>
        "papi/v1/" + path + "?contractId=" + Uri.EscapeDataString(options.ContractId) + "&groupId=" + Uri.EscapeDataString(options.GroupId)
        + (extraQuery is null ? "" : "&" + extraQuery) + SwitchKey("&");

    /// <summary>A Fast Purge path under <c>ccu/v3/</c>, with <c>accountSwitchKey</c> when configured.</summary>
    public string Ccu(string path) => "ccu/v3/" + path + SwitchKey("?");

    /// <summary>A PAPI request with its prefix header.</summary>
    public static VendorRequest PapiRequest(HttpMethod method, string path, string operation, HttpContent? content = null, params KeyValuePair<string, string>[] headers) =>
        new(method, path, operation) { Content = content, Headers = [UsePrefixes, .. headers] };

    /// <summary>A JSON body of a source-generated type.</summary>
    public static StringContent Json<T>(T value, JsonTypeInfo<T> type, string mediaType = "application/json")
    {
        var content = new StringContent(JsonSerializer.Serialize(value, type), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return content;
    }

    /// <summary>A path segment, escaped.</summary>
    public static string Seg(string value) => Uri.EscapeDataString(value);

    /// <summary>The <c>If-Match</c> header.</summary>
    public static KeyValuePair<string, string> IfMatch(string etag) => new("If-Match", etag.StartsWith('"') ? etag : "\"" + etag + "\"");

    /// <summary>
    /// The id a PAPI link names after <paramref name="segment"/> (<c>/papi/v0/properties/prp_1/versions/2?…</c>, segment
    /// <c>versions</c> → <c>2</c>). Links may say <c>v0</c>: only the segments are read, never the version of the path.
    /// </summary>
    public static string? IdFromLink(string? link, string segment)
    {
        if (string.IsNullOrEmpty(link))
        {
            return null;
        }

        var path = link.Split('?', 2)[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var i = Array.LastIndexOf(path, segment);
        return i >= 0 && i + 1 < path.Length ? Uri.UnescapeDataString(path[i + 1]) : null;
    }

    private string SwitchKey(string separator) =>
        string.IsNullOrEmpty(options.AccountSwitchKey) ? "" : separator + "accountSwitchKey=" + Uri.EscapeDataString(options.AccountSwitchKey);
}
