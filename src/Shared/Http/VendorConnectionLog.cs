using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.Internal;

/// <summary>
/// The vendor HTTP layer's log messages (event ids 2000–2009, stable, the same in every vendor package; the provider
/// name tells them apart). Paths only: no header, query or body is ever logged.
/// </summary>
internal static partial class VendorConnectionLog
{
    [LoggerMessage(2000, LogLevel.Debug, "{Provider}: {Method} {Path} answered {Status} in {ElapsedMs} ms (request id {RequestId}).")]
    public static partial void RequestCompleted(ILogger logger, string provider, string method, string path, int status, double elapsedMs, string? requestId);

    [LoggerMessage(2001, LogLevel.Warning, "{Provider}: {Method} {Path} failed: {Status} {ErrorCode} after {ElapsedMs} ms (request id {RequestId}).")]
    public static partial void RequestFailed(ILogger logger, string provider, string method, string path, int? status, string errorCode, double elapsedMs, string? requestId);

    [LoggerMessage(2002, LogLevel.Debug, "{Provider}: {Remaining} write request(s) left in the vendor's rate-limit window.")]
    public static partial void RateLimitRemaining(ILogger logger, string provider, int remaining);

    [LoggerMessage(2004, LogLevel.Debug, "{Provider}: the account's write budget is spent; {Method} {Path} waits {WaitMs} ms for a token.")]
    public static partial void WaitingForWriteBudget(ILogger logger, string provider, string method, string path, double waitMs);

    [LoggerMessage(2003, LogLevel.Warning, "{Provider}: {Operation} answered {Status} with a body that could not be read (request id {RequestId}).")]
    public static partial void MalformedResponse(ILogger logger, string provider, string operation, int status, string? requestId);
}
