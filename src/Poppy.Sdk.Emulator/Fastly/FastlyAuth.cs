using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Fastly;

/// <summary>
/// Fastly's access check: the <c>Fastly-Key</c> header, then the key's hourly budget of non-read calls
/// (Fastly counts per token; reads and purges are free, except <c>purge_all</c>). Counted calls carry
/// <c>Fastly-RateLimit-Remaining</c> and <c>Fastly-RateLimit-Reset</c>; past the budget, 429.
/// </summary>
internal sealed class FastlyAuth(FastlyState state)
{
    /// <summary>Checks a request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>Null when it may go on; otherwise Fastly's error.</returns>
    public VendorErrorException? Check(HttpContext context)
    {
        var request = context.Request;
        if (!request.Headers.TryGetValue("Fastly-Key", out var key) || key.ToString() != state.Options.ApiToken)
        {
            return new FastlyError(401, "Provided credentials are missing or invalid", null);
        }

        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (isRead || IsPurge(request.Path))
        {
            return null;
        }

        var remaining = state.TakeFromBudget();
        WriteRateLimitHeaders(context, Math.Max(0, remaining), state.Time);
        return remaining < 0 ? new FastlyError(429, "Too many requests", "You have exceeded your hourly rate limit.") : null;
    }

    /// <summary>Writes <c>Fastly-RateLimit-Remaining</c> and <c>Fastly-RateLimit-Reset</c> (the next hour, epoch seconds).</summary>
    public static void WriteRateLimitHeaders(HttpContext context, int remaining, TimeProvider time)
    {
        var reset = (time.GetUtcNow().ToUnixTimeSeconds() / 3600 + 1) * 3600;
        context.Response.Headers["Fastly-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Fastly-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary><c>/purge/…</c> and <c>/service/{id}/purge…</c>: the purges Fastly does not count. <c>purge_all</c> is counted.</summary>
    private static bool IsPurge(PathString path)
    {
        var s = (path.Value ?? "").Trim('/').Split('/');
        return s[0] == "purge" || (s.Length >= 3 && s[2] == "purge");
    }
}
