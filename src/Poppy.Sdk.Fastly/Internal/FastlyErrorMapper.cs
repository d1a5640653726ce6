using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Maps Fastly error answers to the SDK's exceptions (the Fastly <see cref="IVendorErrorMapper"/>). Fastly writes errors
/// either as <c>{"msg": "...", "detail": "..."}</c> or, on JSON:API endpoints, as
/// <c>{"errors": [{"title": "...", "detail": "..."}]}</c>. 429 is <see cref="CdnRateLimitedException"/>; 5xx and 408 are
/// transient; other 4xx are not. Messages carry Fastly's own text (from a body the connection already scrubbed of the
/// token) and never a header value, so no credential can leak.
/// </summary>
internal sealed class FastlyErrorMapper : IVendorErrorMapper
{
    private const int MaxVendorTextLength = 500;

    private FastlyErrorMapper()
    {
    }

    /// <summary>The mapper (it has no state).</summary>
    public static FastlyErrorMapper Instance { get; } = new();

    /// <inheritdoc />
    public CdnRequestFailedException Map(VendorError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.Status;
        var (text, vendorCode) = ReadError(error.Body);
        var message = string.Create(CultureInfo.InvariantCulture, $"Fastly {error.Operation} failed with HTTP {status} ({error.ReasonPhrase})") + (text is null ? "." : ": " + text);
        if (status == 401)
        {
            // The usual cause without DI: an HttpClient that does not authenticate.
            message += " Check the API token, and that the HttpClient adds it (AddFastly() or FastlyCdnProvider.CreateHttpClient).";
        }

        if (status == 429)
        {
            return new CdnRateLimitedException(error.Provider, message, error.RetryAfter, status, vendorCode, error.RequestId);
        }

        var code = status == 404 ? CdnErrorCode.NotFound : CdnErrorCode.FromHttpStatus(status);
        return new CdnRequestFailedException(error.Provider, message, status, code, isTransient: status >= 500 || status == 408, vendorCode, error.RequestId);
    }

    /// <summary>
    /// The wait until <c>Fastly-RateLimit-Reset</c> (UTC epoch seconds; the hourly write window), used when a 429 has
    /// no <c>Retry-After</c>; null when absent.
    /// </summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The wait (never negative), or null.</returns>
    public static TimeSpan? RateLimitReset(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.TryGetValues("Fastly-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(epoch) - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Reads Fastly's error text and code from an error body; nulls when the body is not a Fastly error.</summary>
    public static (string? Text, string? VendorCode) ReadError(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        FastlyStatusDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(body, FastlyJsonContext.Default.FastlyStatusDto);
        }
        catch (JsonException)
        {
            return (null, null);
        }

        if (dto is null)
        {
            return (null, null);
        }

        var parts = new List<string>();
        string? code = null;
        AddPart(parts, dto.Msg ?? dto.Title);
        AddPart(parts, dto.Detail);
        if (dto.Errors is { ValueKind: JsonValueKind.Array } errors)
        {
            foreach (var error in errors.EnumerateArray())
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    AddPart(parts, StringProperty(error, "title"));
                    AddPart(parts, StringProperty(error, "detail"));
                    code ??= StringProperty(error, "code");
                }
                else if (error.ValueKind == JsonValueKind.String)
                {
                    AddPart(parts, error.GetString());
                }
            }
        }

        return (parts.Count == 0 ? null : Truncate(string.Join(": ", parts)), code);
    }

    private static void AddPart(List<string> parts, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text) && !parts.Contains(text.Trim(), StringComparer.Ordinal))
        {
            parts.Add(text.Trim());
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static string Truncate(string text) => VendorConnection.Excerpt(text, MaxVendorTextLength);
}
