using System.Net;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// Which failed HTTP attempts the named client's resilience handler may repeat. Reads, edits (<c>PATCH</c> sets values),
/// deletes and the entry point's <c>PUT</c> are safe to repeat; creating a custom hostname or adding a rule is not (a
/// lost answer would leave a duplicate rule, or a duplicate-hostname refusal), so those are retried only when Cloudflare
/// said it did nothing and when to come back (429 or 503 with <c>Retry-After</c>); the provider's converging create
/// resolves the rest. A purge refused with 429 is never retried here: the composite's purge operation paces and
/// resubmits, so the provider reports the refusal at once with its hint.
/// </summary>
internal static class CloudflareRetryPolicy
{
    /// <summary>Whether repeating the request cannot duplicate work.</summary>
    public static bool IsIdempotent(HttpRequestMessage? request)
    {
        if (request?.RequestUri is null)
        {
            return false;
        }

        return request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Delete
            || request.Method == HttpMethod.Put || request.Method == HttpMethod.Patch || IsPurge(request);
    }

    /// <summary>Whether the request is a purge (<c>POST …/purge_cache</c>; purges are idempotent by nature).</summary>
    public static bool IsPurge(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri && request.Method == HttpMethod.Post && uri.AbsolutePath.EndsWith("/purge_cache", StringComparison.Ordinal);

    /// <summary>Whether a failed attempt may be repeated.</summary>
    public static bool ShouldRetry(HttpRequestMessage? request, HttpResponseMessage? response, Exception? exception)
    {
        if (response is null)
        {
            return exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException && IsIdempotent(request);
        }

        var status = (int)response.StatusCode;
        if (status == 429 && IsPurge(request))
        {
            return false;
        }

        if (status is 429 or 503 && response.Headers.RetryAfter is not null)
        {
            return true;
        }

        if (status == 429)
        {
            return false;
        }

        return (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout) && IsIdempotent(request);
    }
}
