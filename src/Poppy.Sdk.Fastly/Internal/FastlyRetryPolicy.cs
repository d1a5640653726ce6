using System.Net;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Which failed HTTP attempts the named client's resilience handler may repeat. A request that may have
/// changed something at Fastly is never repeated blindly: only idempotent calls are retried on any
/// transient failure, and others only when Fastly said it did nothing and when to come back
/// (429 or 503 with <c>Retry-After</c>). A 429 without <c>Retry-After</c> waits for the hourly window
/// (<c>Fastly-RateLimit-Reset</c>), far longer than a retry should, so it goes back to the caller as
/// <see cref="CdnRateLimitedException"/> instead. A purge refused with 429 is never retried here: the composite's purge
/// operation queues and paces batches, so the provider reports the refusal at once with its hint.
/// </summary>
internal static class FastlyRetryPolicy
{
    /// <summary>Whether repeating the request cannot change the outcome.</summary>
    public static bool IsIdempotent(HttpRequestMessage? request)
    {
        if (request?.RequestUri is not { } uri)
        {
            return false;
        }

        var path = uri.AbsolutePath;
        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options || request.Method == HttpMethod.Delete)
        {
            return true;
        }

        if (request.Method == HttpMethod.Put)
        {
            // Each clone makes a new version; activate, deactivate, settings and comments are set-to-value.
            return !path.EndsWith("/clone", StringComparison.Ordinal);
        }

        // Purges are idempotent by nature.
        return IsPurge(request);
    }

    /// <summary>Whether the request is a purge (<c>POST /purge/…</c>, <c>…/purge</c>, <c>…/purge_all</c>).</summary>
    public static bool IsPurge(HttpRequestMessage? request)
    {
        if (request?.RequestUri is not { } uri || request.Method != HttpMethod.Post)
        {
            return false;
        }

        var path = uri.AbsolutePath;
        return path.Contains("/purge/", StringComparison.Ordinal) || path.EndsWith("/purge", StringComparison.Ordinal) || path.EndsWith("/purge_all", StringComparison.Ordinal);
    }

    /// <summary>Whether a failed attempt may be repeated.</summary>
    /// <param name="request">The request (null when unknown).</param>
    /// <param name="response">The response, when one arrived.</param>
    /// <param name="exception">The failure, when no response arrived.</param>
    /// <returns>True to retry.</returns>
    public static bool ShouldRetry(HttpRequestMessage? request, HttpResponseMessage? response, Exception? exception)
    {
        if (response is null)
        {
            // No answer: a transport failure or a timeout. Only safe when repeating cannot duplicate work.
            return exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException && IsIdempotent(request);
        }

        var status = (int)response.StatusCode;
        if (status == 429 && IsPurge(request))
        {
            return false;
        }

        var saidWhen = response.Headers.RetryAfter is not null;
        if (status is 429 or 503 && saidWhen)
        {
            return true;
        }

        if (status == 429)
        {
            return false;
        }

        var transient = status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
        return transient && IsIdempotent(request);
    }
}
