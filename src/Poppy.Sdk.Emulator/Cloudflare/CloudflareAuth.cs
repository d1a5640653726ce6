using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Cloudflare;

/// <summary>
/// Cloudflare's access check: <c>Authorization: Bearer &lt;API token&gt;</c> (no header: 400 code 9106; a header
/// not of that form: 400 code 6003 with error chain 6111; another token: 403 code 10000), then the token's
/// API budget (1,200 calls per 5 minutes by default; past it 429 code 971 with <c>Retry-After</c>). Every
/// authenticated answer carries <c>Ratelimit</c> and <c>Ratelimit-Policy</c>.
/// </summary>
internal sealed class CloudflareAuth(CloudflareState state)
{
    private const string Bearer = "Bearer ";

    /// <summary>Checks a request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>Null when it may go on; otherwise Cloudflare's error.</returns>
    public VendorErrorException? Check(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (!headers.TryGetValue("Authorization", out var values))
        {
            return CloudflareError.BadRequest(9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
        }

        var header = values.ToString();
        if (values.Count != 1 || !header.StartsWith(Bearer, StringComparison.Ordinal) || header.Length == Bearer.Length
            || header.AsSpan(Bearer.Length).ContainsAny(" \t,"))
        {
            return new CloudflareError(400, 6003, "Invalid request headers") { Chain = (6111, "Invalid format for Authorization header") };
        }

        if (!string.Equals(header[Bearer.Length..], state.Options.ApiToken, StringComparison.Ordinal))
        {
            return new CloudflareError(403, 10000, "Authentication error");
        }

        var (remaining, reset) = state.TakeFromGlobalBudget();
        var response = context.Response.Headers;
        response["Ratelimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"default\";q={state.Options.GlobalRateLimit};w={(long)state.Options.GlobalRateWindow.TotalSeconds}");
        if (remaining < 0)
        {
            return CloudflareError.RateLimited(TimeSpan.FromSeconds(reset));
        }

        response["Ratelimit"] = string.Create(CultureInfo.InvariantCulture, $"\"default\";r={remaining};t={reset}");
        return null;
    }
}
