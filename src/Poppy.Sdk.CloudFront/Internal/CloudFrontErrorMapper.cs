using System.Globalization;
using System.Net;
using System.Text;
using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Maps CloudFront's XML <c>ErrorResponse</c> to the SDK's exceptions (the CloudFront <see cref="IVendorErrorMapper"/>).
/// Throttling-family codes and <c>TooManyInvalidationsInProgress</c> (a refusal for in-flight reasons) are rate limits;
/// 500/502/503/504 and AWS's transient codes are transient; everything else (CNAMEAlreadyExists,
/// DistributionNotDisabled, validation codes, …) is not. Messages carry CloudFront's own text and never a header value;
/// the body it reads was already scrubbed by the connection (the canonical request AWS quotes on
/// <c>SignatureDoesNotMatch</c> holds the session token), so no credential can leak into them.
/// </summary>
internal sealed class CloudFrontErrorMapper : IVendorErrorMapper
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

    private CloudFrontErrorMapper()
    {
    }

    /// <summary>The mapper (it has no state).</summary>
    public static CloudFrontErrorMapper Instance { get; } = new();

    /// <inheritdoc />
    public CdnRequestFailedException Map(VendorError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.Status;
        var body = error.Body.Length == 0 ? null : CloudFrontXml.ReadError(error.Body);
        var code = body?.Code;
        var requestId = body?.RequestId ?? error.RequestId;
        var provider = error.Provider;
        var message = string.Create(CultureInfo.InvariantCulture, $"CloudFront {error.Operation} failed with HTTP {status}")
            + (code is null ? "" : " " + code)
            + (body?.Message is { Length: > 0 } text ? ": " + Clean(text) : ".");
        if (status == 403 && code is "SignatureDoesNotMatch" or "InvalidClientTokenId" or "MissingAuthenticationToken" or "IncompleteSignature")
        {
            // The usual cause without DI: an HttpClient that does not sign.
            message += " Check the access key, and that the HttpClient signs requests (AddCloudFront() or CloudFrontCdnProvider.CreateHttpClient).";
        }

        if (code is not null && (ThrottlingCodes.Contains(code) || code == "TooManyInvalidationsInProgress"))
        {
            return new CdnRateLimitedException(provider, message, error.RetryAfter, status, code, requestId);
        }

        var normalized = code switch
        {
            "NoSuchDistribution" or "NoSuchInvalidation" or "NoSuchFunctionExists" or "NoSuchResource" or "NoSuchOrigin" or "EntityNotFound" => CdnErrorCode.NotFound,
            "PreconditionFailed" => CdnErrorCode.PreconditionFailed,
            "InvalidClientTokenId" or "SignatureDoesNotMatch" or "MissingAuthenticationToken" or "IncompleteSignature" or "ExpiredToken" => CdnErrorCode.Unauthorized,
            "AccessDenied" => CdnErrorCode.Forbidden,
            "TooManyDistributions" or "TooManyFunctions" or "TooManyDistributionCNAMEs" or "TooManyCacheBehaviors" or "TooManyOrigins" => CdnErrorCode.QuotaExceeded,
            _ when status == 404 => CdnErrorCode.NotFound,
            _ => CdnErrorCode.FromHttpStatus(status),
        };
        var transient = status is 500 or 502 or 503 or 504 || (code is not null && TransientCodes.Contains(code));
        return new CdnRequestFailedException(provider, message, status, normalized, transient, code, requestId);
    }

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
