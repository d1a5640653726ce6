using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Akamai;

/// <summary>
/// Akamai's errors on the wire. PAPI and the EdgeGrid gateway answer RFC 7807 <c>application/problem+json</c>
/// <c>{type, title, detail, instance, status}</c> (plus extension members such as <c>limitKey</c>); Fast Purge answers
/// <c>{httpStatus, title, detail, supportId, describedBy}</c> (its 429s as <c>application/json</c> with the bucket's
/// <c>rateLimit*</c> members).
/// </summary>
internal sealed class AkamaiErrors : IVendorErrorWriter
{
    private const string Problems = "https://problems.luna.akamaiapis.net";
    private const string PurgeErrorsDoc = "https://techdocs.akamai.com/purge-cache/reference/api-errors";
    private long _next;

    /// <inheritdoc />
    public void WriteCommonHeaders(HttpContext context)
    {
    }

    /// <summary>An injected failure: 409 is PAPI's documented <c>resource-busy</c>, 500 its internal error, others generic problems.</summary>
    /// <param name="status">The status injected.</param>
    /// <returns>The error.</returns>
    public VendorErrorException Fault(int status) => status switch
    {
        409 => AkamaiError.Papi(409, "papi/v1/resource-busy", "Operation failed", "Another edit or activation request on same network in progress for this property version."),
        500 => AkamaiError.Papi(500, "papi/proxy/internal-server-error", "Internal Server Error", "Our system is experiencing errors. We'll get this fixed as soon as possible."),
        503 => AkamaiError.Papi(503, "papi/proxy/service-unavailable", "Service Unavailable", "The service is temporarily unavailable (injected)."),
        _ => AkamaiError.Papi(status, "papi/v1/http/error", "Error", "Injected fault."),
    };

    /// <inheritdoc />
    public VendorErrorException Throttled(TimeSpan? retryAfter) =>
        new AkamaiError(429, "papi/v1/rate-limit-exceeded", "Too Many Requests", "The rate limit for this API client was exceeded (injected).") { RetryAfter = retryAfter, Throttle = true };

    /// <inheritdoc />
    public VendorErrorException UnknownOperation(HttpRequest request, bool pathServedWithOtherMethod) =>
        pathServedWithOtherMethod
            ? AkamaiError.Papi(405, "papi/v1/http/method-not-allowed", "Method Not Allowed", "The requested method is not supported for this resource.")
            : AkamaiError.NotFound("The system was unable to locate the requested resource.");

    /// <inheritdoc />
    public Task WriteAsync(HttpContext context, VendorErrorException error)
    {
        var akamai = error as AkamaiError ?? AkamaiError.Papi(error.Status, "papi/v1/http/error", "Error", error.Message);
        var request = context.Request;
        var id = Interlocked.Increment(ref _next).ToString("x12", CultureInfo.InvariantCulture);
        var purge = !akamai.Gateway && (request.Path.Value ?? "").StartsWith("/ccu/", StringComparison.Ordinal);
        JsonObject body;
        string contentType = "application/problem+json";
        if (purge)
        {
            body = akamai.Throttle && akamai.Extensions.Count == 0
                ? new JsonObject { ["title"] = "Rate Limit exceeded", ["rateLimit"] = 100, ["rateLimitCurrentRequestSize"] = 1, ["rateLimitRemaining"] = 0 }
                : new JsonObject { ["title"] = akamai.Title };
            body["supportId"] = "edcp-emu" + id;
            body["httpStatus"] = akamai.Status;
            body["detail"] = akamai.Throttle ? "" : akamai.Message;
            body["describedBy"] = PurgeErrorsDoc;
            if (akamai.Throttle)
            {
                contentType = "application/json";
            }
        }
        else
        {
            body = new JsonObject
            {
                ["type"] = $"{Problems}/{akamai.Type}",
                ["title"] = akamai.Title,
                ["detail"] = akamai.Message,
                ["instance"] = $"{request.Path}{request.QueryString}#{id}",
                ["status"] = akamai.Status,
            };
        }

        foreach (var (name, value) in akamai.Extensions)
        {
            body[name] = value?.DeepClone();
        }

        return AkamaiJson.WriteAsync(context, akamai.Status, body, contentType);
    }
}

/// <summary>An answer in Akamai's error format.</summary>
/// <param name="status">The HTTP status.</param>
/// <param name="type">The problem type, relative to <c>https://problems.luna.akamaiapis.net/</c> (PAPI and gateway errors).</param>
/// <param name="title">The title.</param>
/// <param name="detail">The detail.</param>
internal sealed class AkamaiError(int status, string type, string title, string detail) : VendorErrorException(status, detail)
{
    /// <summary>The problem type, relative.</summary>
    public string Type { get; } = type;

    /// <summary>The title.</summary>
    public string Title { get; } = title;

    /// <summary>Extension members written into the body as they are.</summary>
    public JsonObject Extensions { get; init; } = [];

    /// <summary>An error of the EdgeGrid gateway (problem shape on every path, Fast Purge's included).</summary>
    public bool Gateway { get; init; }

    /// <summary>A rate limit (Fast Purge writes its 429 body as <c>application/json</c>).</summary>
    public bool Throttle { get; init; }

    public static AkamaiError Papi(int status, string type, string title, string detail) => new(status, type, title, detail);

    public static AkamaiError BadRequest(string detail) => new(400, "papi/v1/http/bad-request", "Bad Request", detail);

    public static AkamaiError NotFound(string detail) => new(404, "papi/v1/http/not-found", "Not Found", detail);

    public static AkamaiError Forbidden(string detail) => new(403, "papi/v1/http/forbidden", "Forbidden", detail);

    public static AkamaiError Unauthorized(string detail) => new(401, "-/pep-authn/deny", "Not authorized", detail) { Gateway = true };

    public static AkamaiError InvalidTimestamp() => new(400, "-/pep-authn/request-error", "Bad request", "Invalid timestamp") { Gateway = true };

    public static AkamaiError PreconditionFailed(string detail) =>
        new(412, "papi/v1/precondition-failed", "Precondition Failed", detail);

    public static AkamaiError Unprocessable(string messageId, string detail) =>
        new(422, "papi/v1/" + messageId, "Property Manager Exception", detail)
        {
            Extensions = new JsonObject
            {
                ["messageId"] = messageId,
                ["errors"] = new JsonArray(new JsonObject { ["type"] = "papi/v1/" + messageId, ["title"] = "Property Manager Exception", ["detail"] = detail }),
                ["result"] = "ERROR",
            },
        };

    /// <summary>A Fast Purge error: <c>{httpStatus, title, detail, supportId, describedBy}</c>.</summary>
    public static AkamaiError Purge(int status, string title, string detail) => new(status, "ccu/v3/error", title, detail);
}
