using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Maps Fastly error answers to the SDK's exceptions. Fastly writes errors either as
/// <c>{"msg": "...", "detail": "..."}</c> or, on JSON:API endpoints, as
/// <c>{"errors": [{"title": "...", "detail": "..."}]}</c>. 429 and 5xx are transient; other 4xx are not.
/// Messages carry Fastly's own text and never a header value, so no credential can leak into them.
/// </summary>
internal static class FastlyErrorMapper
{
    private const int MaxVendorTextLength = 500;

    /// <summary>The exception for an unsuccessful response.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="operation">What was attempted, in words (for example <c>create backend 'poppy-origin-0'</c>).</param>
    /// <param name="response">The response.</param>
    /// <param name="body">The response body, already read.</param>
    /// <param name="now">The current time, for <c>Fastly-RateLimit-Reset</c>.</param>
    /// <returns>The exception to throw.</returns>
    public static CdnRequestFailedException FromResponse(string provider, string operation, HttpResponseMessage response, string body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var (text, vendorCode) = ReadError(body);
        var requestId = RequestId(response);
        var message = string.Create(CultureInfo.InvariantCulture, $"Fastly {operation} failed with HTTP {status} ({Reason(response)})") + (text is null ? "." : ": " + text);
        if (status == 429)
        {
            return new CdnRateLimitedException(provider, message, RetryAfter(response.Headers, now), status, vendorCode, requestId);
        }

        var code = status == 404 ? CdnErrorCode.NotFound : CdnErrorCode.FromHttpStatus(status);
        return new CdnRequestFailedException(provider, message, status, code, isTransient: status >= 500 || status == 408, vendorCode, requestId);
    }

    /// <summary>The exception for a successful response whose body could not be read.</summary>
    public static CdnRequestFailedException Malformed(string provider, string operation, HttpResponseMessage response, Exception? cause) =>
        new(
            provider,
            string.Create(CultureInfo.InvariantCulture, $"Fastly {operation} returned HTTP {(int)response.StatusCode} with a body that is not the expected JSON."),
            (int)response.StatusCode,
            CdnErrorCode.MalformedResponse,
            isTransient: false,
            requestId: RequestId(response),
            innerException: cause);

    /// <summary>
    /// How long to wait after a 429: <c>Retry-After</c> (seconds or a date) when present, otherwise the time
    /// until <c>Fastly-RateLimit-Reset</c> (UTC epoch seconds); null when neither is given.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

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

    private static string Truncate(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxVendorTextLength + 1));
        foreach (var c in text)
        {
            if (sb.Length >= MaxVendorTextLength)
            {
                sb.Append('…');
                break;
            }

            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString();
    }

    private static string Reason(HttpResponseMessage response) =>
        response.ReasonPhrase is { Length: > 0 } phrase ? phrase : ((HttpStatusCode)(int)response.StatusCode).ToString();

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Fastly-Request-Id", out var values) || response.Headers.TryGetValues("X-Request-Id", out values)
            ? values.FirstOrDefault()
            : null;
}
