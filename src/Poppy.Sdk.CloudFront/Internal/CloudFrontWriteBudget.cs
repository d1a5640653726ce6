namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// CloudFront's control-plane pacing (ADR 0012): AWS publishes no request rate, so writes are paced only when the
/// account's options set one; then every non-GET request (create, update, delete, invalidation, function) counts.
/// </summary>
internal static class CloudFrontWriteBudget
{
    public static WriteRateLimit? Limit(CloudFrontCdnProviderOptions options) =>
        options.WriteRequestsPerSecond > 0
            ? new WriteRateLimit(options.WriteRequestsPerSecond, TimeSpan.FromSeconds(1), options.WriteBurst > 0 ? options.WriteBurst : options.WriteRequestsPerSecond)
            : null;

    public static bool Counts(CloudFrontCdnProviderOptions options, HttpRequestMessage request) => !WriteRateLimits.IsRead(request);
}
