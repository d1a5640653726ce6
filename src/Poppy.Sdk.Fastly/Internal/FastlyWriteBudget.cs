namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Fastly's API rate limit (ADR 0012): non-read requests per hour per user token. GET and HEAD are free, and so are
/// URL purges (<c>POST purge/{host}/{path}</c>) and surrogate-key purges (<c>POST service/{id}/purge[/{key}]</c>);
/// a purge-all (<c>service/{id}/purge_all</c>) counts.
/// </summary>
internal static class FastlyWriteBudget
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public static WriteRateLimit? Limit(FastlyCdnProviderOptions options) => WriteRateLimits.PerWindow(options.WriteRequestsPerHour, Hour);

    /// <summary>Whether Fastly counts the request: not a read, and not a purge other than a purge-all (purges are classified once, by <see cref="FastlyRetryPolicy.IsPurge"/>).</summary>
    public static bool Counts(FastlyCdnProviderOptions options, HttpRequestMessage request) =>
        !WriteRateLimits.IsRead(request)
        && (!FastlyRetryPolicy.IsPurge(request) || request.RequestUri!.AbsolutePath.EndsWith("/purge_all", StringComparison.Ordinal));
}
