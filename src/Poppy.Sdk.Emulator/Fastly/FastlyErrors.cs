using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Fastly;

/// <summary>Fastly's errors on the wire: JSON <c>{"msg": …, "detail": …}</c> with the HTTP status.</summary>
internal sealed class FastlyErrors(TimeProvider time) : IVendorErrorWriter
{
    /// <inheritdoc />
    public void WriteCommonHeaders(HttpContext context)
    {
    }

    /// <inheritdoc />
    public VendorErrorException Fault(int status) => new FastlyError(status, status == 503 ? "Service unavailable" : "Error", "Injected fault.");

    /// <inheritdoc />
    public VendorErrorException Throttled(TimeSpan? retryAfter) =>
        new FastlyError(429, "Too many requests", "Rate limit exceeded (injected).") { RetryAfter = retryAfter, BudgetSpent = true };

    /// <inheritdoc />
    public VendorErrorException UnknownOperation(HttpRequest request, bool pathServedWithOtherMethod) =>
        pathServedWithOtherMethod ? FastlyError.MethodNotAllowed() : FastlyError.NotFound("Unknown path.");

    /// <inheritdoc />
    public Task WriteAsync(HttpContext context, VendorErrorException error)
    {
        var fastly = error as FastlyError;
        if (fastly?.BudgetSpent == true)
        {
            FastlyAuth.WriteRateLimitHeaders(context, 0, time);
        }

        return FastlyJson.WriteAsync(context, error.Status, new JsonObject { ["msg"] = error.Message, ["detail"] = fastly?.Detail });
    }
}

/// <summary>An answer in Fastly's error format.</summary>
/// <param name="status">The HTTP status.</param>
/// <param name="msg">The <c>msg</c>.</param>
/// <param name="detail">The <c>detail</c>, or null.</param>
internal sealed class FastlyError(int status, string msg, string? detail) : VendorErrorException(status, msg)
{
    /// <summary>The <c>detail</c>.</summary>
    public string? Detail { get; } = detail;

    /// <summary>Whether this is a 429 for a spent budget (it carries the <c>Fastly-RateLimit-*</c> headers).</summary>
    public bool BudgetSpent { get; init; }

    public static FastlyError NotFound(string detail) => new(404, "Record not found", detail);

    public static FastlyError BadRequest(string detail) => new(400, "Bad request", detail);

    public static FastlyError MethodNotAllowed() => new(405, "Method not allowed", null);
}
