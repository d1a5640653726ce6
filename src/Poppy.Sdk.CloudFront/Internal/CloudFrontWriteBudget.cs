namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// CloudFront's control-plane pacing (ADR 0012): AWS publishes no request rate, so writes are paced only when the
/// account's options set one; then every non-GET request (create, update, delete, invalidation, function) counts.
/// </summary>
internal static class CloudFrontWriteBudget
{
    public static WriteRateLimit? Limit(CloudFrontCdnProviderOptions options) => WriteRateLimits.PerSecond(options.WriteRequestsPerSecond, options.WriteBurst);

    public static bool Counts(CloudFrontCdnProviderOptions options, HttpRequestMessage request) => !WriteRateLimits.IsRead(request);
}
