using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Poppy.Sdk.Cloudflare.Internal.Api;

/// <summary>Paths, bodies and the v4 envelope, shared by the Cloudflare resource clients.</summary>
internal static class CloudflareRequests
{
    /// <summary>The page size of custom hostname lists (Cloudflare's maximum is 50).</summary>
    public const int PageSize = 50;

    /// <summary>
    /// JSON bodies escape only what JSON requires (quotes, backslashes, control characters), so a base64 manifest or a rule
    /// expression reads as written; these bodies are never embedded in HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One path segment, escaped.</summary>
    public static string Seg(string value) => Uri.EscapeDataString(value);

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Zone(string zoneId) => "zones/" + Seg(zoneId);

    /// <summary>A JSON body written with <paramref name="write"/>.</summary>
    public static HttpContent Body(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The <c>result</c> of a v4 envelope; an answer without one (or with <c>success: false</c>) is malformed.</summary>
    public static T Result<T>(VendorConnection connection, VendorResponse response, JsonTypeInfo<CfEnvelope<T>> type)
        where T : class
    {
        var envelope = connection.ReadJson(response, type);
        if (!envelope.Success || envelope.Result is not { } result)
        {
            throw connection.Malformed(response, "a v4 envelope with success true and a result");
        }

        return result;
    }

    /// <summary>A custom hostname create (<paramref name="includeHostname"/>) or edit body.</summary>
    public static void WriteHostname(Utf8JsonWriter w, HostnameObject h, bool includeHostname)
    {
        w.WriteStartObject();
        if (includeHostname)
        {
            w.WriteString("hostname", h.Hostname);
        }

        w.WriteStartObject("ssl");
        w.WriteString("method", h.ValidationMethod);
        w.WriteString("type", "dv");
        w.WriteEndObject();
        w.WriteStartObject("custom_metadata");
        foreach (var (key, value) in h.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteString("custom_origin_server", h.OriginServer);
        if (h.OriginSni is { } sni)
        {
            w.WriteString("custom_origin_sni", sni);
        }

        w.WriteEndObject();
    }

    /// <summary>A rule body (create or edit); <paramref name="position"/> is <c>("after", id)</c>, <c>("before", id)</c> or null (append).</summary>
    public static void WriteRule(Utf8JsonWriter w, RuleObject rule, (string Where, string RuleId)? position)
    {
        w.WriteStartObject();
        w.WriteString("ref", rule.Ref);
        w.WriteString("description", rule.Description);
        w.WriteString("expression", rule.Expression);
        w.WriteString("action", rule.Action);
        if (rule.ActionParameters is { } parameters)
        {
            w.WritePropertyName("action_parameters");
            w.WriteRawValue(parameters, skipInputValidation: true);
        }

        w.WriteBoolean("enabled", true);
        if (position is { } p)
        {
            w.WriteStartObject("position");
            w.WriteString(p.Where, p.RuleId);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// How long Cloudflare's <c>Ratelimit</c> header (<c>"default";r=0;t=30</c>) says to wait: its <c>t</c>, the seconds
    /// until the window resets; null when absent or unreadable. Used when a 429 has no <c>Retry-After</c>.
    /// </summary>
    public static TimeSpan? RateLimitReset(HttpResponseHeaders headers, DateTimeOffset now)
    {
        _ = now;
        if (!headers.TryGetValues("Ratelimit", out var values))
        {
            return null;
        }

        foreach (var part in string.Join(';', values).Split([';', ','], StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal) && int.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return null;
    }

}
