using System.Globalization;
using Microsoft.AspNetCore.Http;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontXml;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>
/// CloudFront's errors on the wire: <c>text/xml</c>
/// <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type/&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;&lt;/ErrorResponse&gt;</c>
/// with the API model's status, and the <c>x-amzn-RequestId</c> and <c>Date</c> headers on every answer.
/// Injected rate limits are 400 <c>Throttling</c> "Rate exceeded" without <c>Retry-After</c>, as CloudFront
/// answers; a 500 is <c>InternalFailure</c>, other 5xx <c>ServiceUnavailable</c>.
/// </summary>
internal sealed class CloudFrontErrors(TimeProvider time) : IVendorErrorWriter
{
    private const string RequestIdHeader = "x-amzn-RequestId";

    /// <inheritdoc />
    public void WriteCommonHeaders(HttpContext context)
    {
        context.Response.Headers[RequestIdHeader] = Guid.NewGuid().ToString();
        context.Response.Headers.Date = time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public VendorErrorException Fault(int status) => status switch
    {
        500 => new CloudFrontError("InternalFailure", "We encountered an internal error. Please try again. (injected fault)"),
        >= 500 => new CloudFrontError("ServiceUnavailable", "Service is unable to handle request. (injected fault)", status),
        400 or 429 => new CloudFrontError("Throttling", "Rate exceeded"),
        403 => new CloudFrontError("AccessDenied", "Access denied. (injected fault)"),
        _ => new CloudFrontError("InvalidArgument", "Injected fault.", status),
    };

    /// <inheritdoc />
    public VendorErrorException Throttled(TimeSpan? retryAfter) => new CloudFrontError("Throttling", "Rate exceeded");

    /// <inheritdoc />
    public VendorErrorException UnknownOperation(HttpRequest request, bool pathServedWithOtherMethod) =>
        new CloudFrontError("NoSuchResource", $"The emulated CloudFront API has no operation {request.Method} {request.Path.Value}.");

    /// <inheritdoc />
    public async Task WriteAsync(HttpContext context, VendorErrorException error)
    {
        var code = error is CloudFrontError cloudFront ? cloudFront.Code : "InternalFailure";
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "text/xml";
        var document = ErrorDocument(code, error.Message, error.Status, context.Response.Headers[RequestIdHeader].ToString());
        await context.Response.WriteAsync(document, Utf8, context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>An answer in CloudFront's <c>ErrorResponse</c> format.</summary>
/// <param name="code">The error code (<c>NoSuchDistribution</c>, …).</param>
/// <param name="message">The message.</param>
/// <param name="status">The HTTP status; by default the code's, from the API model.</param>
internal sealed class CloudFrontError(string code, string message, int? status = null)
    : VendorErrorException(status ?? StatusOf(code), message)
{
    /// <summary>The HTTP status of each error code the emulator sends (from the API model; 400 when not listed).</summary>
    private static readonly Dictionary<string, int> Statuses = new(StringComparer.Ordinal)
    {
        ["AccessDenied"] = 403,
        ["BatchTooLarge"] = 413,
        ["CNAMEAlreadyExists"] = 409,
        ["DistributionAlreadyExists"] = 409,
        ["DistributionNotDisabled"] = 409,
        ["FunctionAlreadyExists"] = 409,
        ["FunctionInUse"] = 409,
        ["FunctionSizeLimitExceeded"] = 413,
        ["IncompleteSignature"] = 403,
        ["InternalFailure"] = 500,
        ["InvalidClientTokenId"] = 403,
        ["InvalidTagging"] = 400,
        ["InvalidationBatchAlreadyExists"] = 409,
        ["MissingAuthenticationToken"] = 403,
        ["NoSuchDistribution"] = 404,
        ["NoSuchFunctionExists"] = 404,
        ["NoSuchInvalidation"] = 404,
        ["NoSuchOrigin"] = 404,
        ["NoSuchResource"] = 404,
        ["PreconditionFailed"] = 412,
        ["ServiceUnavailable"] = 503,
        ["SignatureDoesNotMatch"] = 403,
    };

    /// <summary>The error code.</summary>
    public string Code { get; } = code;

    private static int StatusOf(string code) => Statuses.GetValueOrDefault(code, 400);
}
