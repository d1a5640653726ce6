using System.Globalization;
using System.Text.Json;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// Maps Cloudflare error answers (the v4 envelope <c>{success: false, errors: [{code, message}]}</c>) to the SDK's
/// exceptions, by status and by numeric code: 10000 (authentication error, answered with 403) is
/// <see cref="CdnErrorCode.Unauthorized"/>; 429, or code 971 ("please wait and consider throttling"), is
/// <see cref="CdnRateLimitedException"/> with <c>Retry-After</c> or the <c>Ratelimit</c> header's reset; 1406
/// (duplicate custom hostname) is <see cref="CdnErrorCode.Conflict"/>; 5xx and 408 are transient. Messages carry
/// Cloudflare's own text (from a body the connection already scrubbed) and never a header value.
/// </summary>
internal sealed class CloudflareErrorMapper : IVendorErrorMapper
{
    /// <summary>Cloudflare's code for a missing, invalid or revoked token.</summary>
    public const int AuthenticationError = 10000;

    /// <summary>Cloudflare's code for a duplicate custom hostname.</summary>
    public const int DuplicateHostname = 1406;

    /// <summary>Cloudflare's code for "please wait and consider throttling your request speed".</summary>
    public const int Throttled = 971;

    private const int MaxVendorTextLength = 500;

    private CloudflareErrorMapper()
    {
    }

    public static CloudflareErrorMapper Instance { get; } = new();

    /// <inheritdoc />
    public CdnRequestFailedException Map(VendorError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.Status;
        var (text, codes) = ReadError(error.Body);
        var vendorCode = codes.Count > 0 ? codes[0].ToString(CultureInfo.InvariantCulture) : null;
        var message = string.Create(CultureInfo.InvariantCulture, $"Cloudflare {error.Operation} failed with HTTP {status} ({error.ReasonPhrase})") + (text is null ? "." : ": " + text);
        if (status is 401 or 403 || codes.Contains(AuthenticationError))
        {
            message += " Check the API token and its permissions on the zone, and that the HttpClient sends it (AddCloudflare() or CloudflareCdnProvider.CreateHttpClient).";
        }

        if (status == 429 || codes.Contains(Throttled))
        {
            return new CdnRateLimitedException(error.Provider, message, error.RetryAfter, status, vendorCode, error.RequestId);
        }

        var code = codes.Contains(AuthenticationError) ? CdnErrorCode.Unauthorized
            : codes.Contains(DuplicateHostname) ? CdnErrorCode.Conflict
            : CdnErrorCode.FromHttpStatus(status);
        return new CdnRequestFailedException(error.Provider, message, status, code, isTransient: status >= 500 || status == 408, vendorCode, error.RequestId);
    }

    /// <summary>Cloudflare's error text and numeric codes from an error body; nothing when the body is not an envelope.</summary>
    public static (string? Text, List<int> Codes) ReadError(string body)
    {
        var codes = new List<int>();
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, codes);
        }

        CfEnvelope<JsonElement>? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, CloudflareJsonContext.Default.CfEnvelopeJsonElement);
        }
        catch (JsonException)
        {
            return (null, codes);
        }

        var parts = new List<string>();
        foreach (var e in envelope?.Errors ?? [])
        {
            if (e.Code is { } code)
            {
                codes.Add(code);
            }

            if (!string.IsNullOrWhiteSpace(e.Message))
            {
                parts.Add(e.Code is { } c ? string.Create(CultureInfo.InvariantCulture, $"{e.Message.Trim()} (code {c})") : e.Message.Trim());
            }
        }

        return (parts.Count == 0 ? null : VendorConnection.Excerpt(string.Join("; ", parts), MaxVendorTextLength), codes);
    }
}
