using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Cloudflare;

/// <summary>
/// Cloudflare's errors on the wire: the v4 envelope with <c>success: false</c>, numeric
/// <c>errors[].code</c>, empty <c>messages</c> and a null <c>result</c>; every answer carries a <c>cf-ray</c> id.
/// </summary>
internal sealed class CloudflareErrors : IVendorErrorWriter
{
    private long _ray;

    /// <inheritdoc />
    public void WriteCommonHeaders(HttpContext context) =>
        context.Response.Headers["cf-ray"] = Interlocked.Increment(ref _ray).ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + "-EMU";

    /// <inheritdoc />
    public VendorErrorException Fault(int status) =>
        new CloudflareError(status, status == 503 ? 10001 : 10002, status == 503 ? "Service unavailable (injected fault)." : "Internal error (injected fault).");

    /// <inheritdoc />
    public VendorErrorException Throttled(TimeSpan? retryAfter) =>
        CloudflareError.RateLimited(retryAfter ?? TimeSpan.FromSeconds(1));

    /// <inheritdoc />
    public VendorErrorException UnknownOperation(HttpRequest request, bool pathServedWithOtherMethod) =>
        pathServedWithOtherMethod
            ? new CloudflareError(405, 7001, "Method not allowed for this endpoint.")
            : new CloudflareError(404, 7000, "No route for that URI");

    /// <inheritdoc />
    public Task WriteAsync(HttpContext context, VendorErrorException error)
    {
        var cloudflare = error as CloudflareError;
        if (cloudflare?.RateLimitHeader is { } header)
        {
            context.Response.Headers["Ratelimit"] = header;
        }

        var errors = new JsonArray();
        var code = cloudflare?.Code ?? 10002;
        var entry = new JsonObject { ["code"] = code, ["message"] = error.Message };
        if (cloudflare?.Chain is { } chain)
        {
            entry["error_chain"] = new JsonArray(new JsonObject { ["code"] = chain.Code, ["message"] = chain.Message });
        }

        errors.Add(entry);
        var body = new JsonObject { ["success"] = false, ["errors"] = errors, ["messages"] = new JsonArray(), ["result"] = null };
        return CloudflareJson.WriteAsync(context, error.Status, body);
    }
}

/// <summary>An answer in Cloudflare's error envelope.</summary>
/// <param name="status">The HTTP status.</param>
/// <param name="code">The numeric <c>errors[0].code</c>.</param>
/// <param name="message">The <c>errors[0].message</c>.</param>
internal sealed class CloudflareError(int status, int code, string message) : VendorErrorException(status, message)
{
    /// <summary>The numeric code.</summary>
    public int Code { get; } = code;

    /// <summary>An <c>error_chain</c> entry under the error, or none.</summary>
    public (int Code, string Message)? Chain { get; init; }

    /// <summary>The <c>Ratelimit</c> header to send, or none.</summary>
    public string? RateLimitHeader { get; init; }

    /// <summary>A 400 with a validation code.</summary>
    public static CloudflareError BadRequest(int code, string message) => new(400, code, message);

    /// <summary>A 404.</summary>
    public static CloudflareError NotFound(int code, string message) => new(404, code, message);

    /// <summary>A 429 with <c>Retry-After</c> and <c>Ratelimit</c> (code 971, as Cloudflare's API throttle).</summary>
    public static CloudflareError RateLimited(TimeSpan retryAfter, string policy = "default")
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        return new CloudflareError(429, 971, "Please wait and consider throttling your request speed")
        {
            RetryAfter = TimeSpan.FromSeconds(seconds),
            RateLimitHeader = $"\"{policy}\";r=0;t={seconds}",
        };
    }
}
