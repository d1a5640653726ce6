namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// Cloudflare's global API rate limit (ADR 0012): requests per five minutes per user or token, reads and purges
/// included, so every request of the account counts.
/// </summary>
internal static class CloudflareWriteBudget
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static WriteRateLimit? Limit(CloudflareCdnProviderOptions options) => WriteRateLimits.PerWindow(options.ApiRequestsPerFiveMinutes, Window);

    public static bool Counts(CloudflareCdnProviderOptions options, HttpRequestMessage request) => true;
}
