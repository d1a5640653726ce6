using System.Globalization;
using System.Net;
using System.Text;
using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Maps CloudFront's XML <c>ErrorResponse</c> to the SDK's exceptions. Throttling-family codes are rate
/// limits; 500/502/503/504 and AWS's transient codes are transient; everything else (CNAMEAlreadyExists,
/// DistributionNotDisabled, validation codes, …) is not. Messages carry CloudFront's own text and never a
/// header value, so no credential can leak into them.
/// </summary>
internal static class CloudFrontErrors
{
    /// <summary>The codes AWS SDKs treat as throttling (botocore's standard retry mode).</summary>
    public static readonly IReadOnlySet<string> ThrottlingCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };

    /// <summary>The codes AWS SDKs treat as transient.</summary>
    public static readonly IReadOnlySet<string> TransientCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError", "InternalFailure", "ServiceUnavailable",
    };

    private const int MaxVendorTextLength = 500;

    public static CdnRequestFailedException FromResponse(string provider, string operation, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var error = CloudFrontXml.ReadError(body);
        var code = error?.Code;
        var requestId = error?.RequestId ?? RequestId(response);
        var message = string.Create(CultureInfo.InvariantCulture, $"CloudFront {operation} failed with HTTP {status}")
            + (code is null ? "" : " " + code)
            + (error?.Message is { Length: > 0 } text ? ": " + Clean(text) : ".");
        if (code is not null && ThrottlingCodes.Contains(code))
        {
            return new CdnRateLimitedException(provider, message, null, status, code, requestId);
        }

        var normalized = code switch
        {
            "NoSuchDistribution" or "NoSuchInvalidation" or "NoSuchFunctionExists" or "NoSuchResource" or "NoSuchOrigin" or "EntityNotFound" => CdnErrorCode.NotFound,
            "PreconditionFailed" => CdnErrorCode.PreconditionFailed,
            "InvalidClientTokenId" or "SignatureDoesNotMatch" or "MissingAuthenticationToken" or "IncompleteSignature" or "ExpiredToken" => CdnErrorCode.Unauthorized,
            "AccessDenied" => CdnErrorCode.Forbidden,
            "TooManyInvalidationsInProgress" => CdnErrorCode.RateLimited,
            "TooManyDistributions" or "TooManyFunctions" or "TooManyDistributionCNAMEs" or "TooManyCacheBehaviors" or "TooManyOrigins" => CdnErrorCode.QuotaExceeded,
            _ when status == 404 => CdnErrorCode.NotFound,
            _ => CdnErrorCode.FromHttpStatus(status),
        };
        var transient = status is 500 or 502 or 503 or 504 || (code is not null && TransientCodes.Contains(code));
        return new CdnRequestFailedException(provider, message, status, normalized, transient, code, requestId);
    }

    public static CdnRequestFailedException Malformed(string provider, string operation, HttpResponseMessage response, Exception? cause) =>
        new(
            provider,
            string.Create(CultureInfo.InvariantCulture, $"CloudFront {operation} returned HTTP {(int)response.StatusCode} with a body that is not the expected XML."),
            (int)response.StatusCode,
            CdnErrorCode.MalformedResponse,
            isTransient: false,
            requestId: RequestId(response),
            innerException: cause);

    public static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-RequestId", out var values) || response.Headers.TryGetValues("x-amz-request-id", out values)
            ? values.FirstOrDefault()
            : null;

    private static string Clean(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxVendorTextLength + 1));
        foreach (var c in text.Trim())
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
}

/// <summary>
/// Which failed HTTP attempts the named client's resilience handler may repeat: throttling codes and
/// 500/502/503/504 for every request whose repetition cannot duplicate work. GETs and DELETEs are
/// idempotent; a PUT with If-Match is too (a repeat after success fails with 412 and is re-read); creates
/// carry a caller reference, so a repeated create is answered "already exists" and resolved by look-up.
/// </summary>
internal static class CloudFrontRetryPolicy
{
    public static async ValueTask<bool> ShouldRetryAsync(HttpResponseMessage? response, Exception? exception)
    {
        if (response is null)
        {
            return exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException;
        }

        var status = (int)response.StatusCode;
        if (status is 500 or 502 or 503 or 504)
        {
            return true;
        }

        // Throttling arrives as HTTP 400 with the code in the body; peek at the buffered body.
        if (status == 400 && response.Content is { } content)
        {
            try
            {
                await content.LoadIntoBufferAsync().ConfigureAwait(false);
                var body = await content.ReadAsStringAsync().ConfigureAwait(false);
                return CloudFrontXml.ReadError(body)?.Code is { } code && (CloudFrontErrors.ThrottlingCodes.Contains(code) || CloudFrontErrors.TransientCodes.Contains(code));
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or ObjectDisposedException)
            {
                return false;
            }
        }

        return false;
    }
}
