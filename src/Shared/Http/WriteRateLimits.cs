namespace Poppy.Sdk.Internal;

/// <summary>The conversions and request tests the vendors' write budgets share (ADR 0012).</summary>
internal static class WriteRateLimits
{
    /// <summary>
    /// The token bucket that never sends more than <paramref name="requests"/> in any window of <paramref name="window"/>,
    /// for a vendor that counts requests per window (Fastly per hour, Cloudflare per five minutes): half of them as a
    /// burst, the other half refilled one token at a time, evenly over the window. Sustained, that is half the
    /// vendor's rate; in exchange no placement of the vendor's window (fixed or sliding) sees more than its limit.
    /// </summary>
    /// <param name="requests">The vendor's limit per window; 0 turns pacing off.</param>
    /// <param name="window">The vendor's window.</param>
    /// <returns>The pacing, or null when off.</returns>
    public static WriteRateLimit? PerWindow(int requests, TimeSpan window)
    {
        if (requests <= 0)
        {
            return null;
        }

        var burst = Math.Max(1, requests / 2);
        var refilled = Math.Max(1, requests - burst);
        return new WriteRateLimit(1, window / refilled, burst);
    }

    /// <summary>A rate per second with a burst (the burst defaults to the rate); null when the rate is 0 or less (pacing off).</summary>
    /// <param name="requestsPerSecond">The rate.</param>
    /// <param name="burst">The burst; 0 or less for the rate.</param>
    /// <returns>The pacing, or null when off.</returns>
    public static WriteRateLimit? PerSecond(int requestsPerSecond, int burst) =>
        requestsPerSecond > 0 ? new WriteRateLimit(requestsPerSecond, TimeSpan.FromSeconds(1), burst > 0 ? burst : requestsPerSecond) : null;

    /// <summary>Whether a request only reads (GET or HEAD): vendors that limit writes do not count it.</summary>
    /// <param name="request">The request.</param>
    /// <returns>True for GET and HEAD.</returns>
    public static bool IsRead(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;

    /// <summary>
    /// The request's path relative to the account's base address, without a leading slash
    /// (<c>service/abc/version</c>), or the whole path when the request is not under it.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="baseAddress">The account's base address.</param>
    /// <returns>The relative path.</returns>
    public static string RelativePath(HttpRequestMessage request, Uri? baseAddress)
    {
        var path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString ?? "";
        var prefix = baseAddress is { IsAbsoluteUri: true } ? baseAddress.AbsolutePath : "/";
        if (!prefix.EndsWith('/'))
        {
            prefix += "/";
        }

        return path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path.TrimStart('/');
    }
}
