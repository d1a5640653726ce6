namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Akamai's PAPI rate limit (ADR 0012): a token bucket per account, shared by all its API clients, that counts every
/// PAPI request (reads too). Fast Purge (<c>ccu/</c>) is limited by its own bucket, the purge pacing, and is not counted.
/// </summary>
internal static class AkamaiWriteBudget
{
    public static WriteRateLimit? Limit(AkamaiCdnProviderOptions options) =>
        options.PapiRequestsPerMinute > 0 ? new WriteRateLimit(options.PapiRequestsPerMinute, TimeSpan.FromMinutes(1), Math.Max(1, options.PapiBurst)) : null;

    public static bool Counts(AkamaiCdnProviderOptions options, HttpRequestMessage request) =>
        WriteRateLimits.RelativePath(request, options.EffectiveBaseAddress()).StartsWith("papi/", StringComparison.Ordinal);
}
