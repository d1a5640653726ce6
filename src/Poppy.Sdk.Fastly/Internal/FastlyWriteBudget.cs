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

    public static bool Counts(FastlyCdnProviderOptions options, HttpRequestMessage request)
    {
        if (WriteRateLimits.IsRead(request))
        {
            return false;
        }

        var path = WriteRateLimits.RelativePath(request, options.BaseAddress);
        if (path.StartsWith("purge/", StringComparison.Ordinal))
        {
            return false;
        }

        // service/{id}/purge or service/{id}/purge/{key}: a surrogate-key purge.
        var segments = path.Split('/');
        return !(segments.Length is 3 or 4 && segments[0] == "service" && segments[2] == "purge");
    }
}
