using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>The CloudFront provider's log messages (event ids 3100–3199, stable; 3108 and 3110, the per-request lines, are now the shared VendorConnection's). None carries a credential.</summary>
internal static partial class CloudFrontLog
{
    [LoggerMessage(3100, LogLevel.Information, "CloudFront: creating a distribution for {ServiceId}.")]
    public static partial void Creating(ILogger logger, string serviceId);

    [LoggerMessage(3101, LogLevel.Information, "CloudFront: distribution {DistributionId} already exists for {ServiceId} (same caller reference); converging it to the spec.")]
    public static partial void Converging(ILogger logger, string serviceId, string distributionId);

    [LoggerMessage(3102, LogLevel.Information, "CloudFront: distribution {DistributionId} for {ServiceId} submitted; status {Status}.")]
    public static partial void Submitted(ILogger logger, string serviceId, string distributionId, string status);

    [LoggerMessage(3103, LogLevel.Information, "CloudFront: distribution {DistributionId} is deployed.")]
    public static partial void Deployed(ILogger logger, string distributionId);

    [LoggerMessage(3104, LogLevel.Information, "CloudFront: deleting distribution {DistributionId} ({ServiceId}): {Step}.")]
    public static partial void Deleting(ILogger logger, string serviceId, string distributionId, string step);

    [LoggerMessage(3105, LogLevel.Warning, "CloudFront: the ETag of distribution {DistributionId} changed under us (412); re-reading and retrying once.")]
    public static partial void PreconditionRetry(ILogger logger, string distributionId);

    [LoggerMessage(3106, LogLevel.Information, "CloudFront: invalidation {InvalidationId} on {DistributionId}: {Count} path(s).")]
    public static partial void Invalidation(ILogger logger, string distributionId, string invalidationId, int count);

    [LoggerMessage(3107, LogLevel.Information, "CloudFront: too many invalidations in progress on {DistributionId}; the batch is refused for now (retry after {RetryAfter}; {Accepted} of {Total} invalidation(s) accepted).")]
    public static partial void InvalidationRefused(ILogger logger, string distributionId, TimeSpan retryAfter, int accepted, int total);

    [LoggerMessage(3109, LogLevel.Warning, "CloudFront: distribution {DistributionId} ({ServiceId}) was changed outside Poppy: {Drift}.")]
    public static partial void Drift(ILogger logger, string serviceId, string distributionId, string drift);

    [LoggerMessage(3111, LogLevel.Information, "CloudFront: function {FunctionName} published for {ServiceId}.")]
    public static partial void FunctionPublished(ILogger logger, string serviceId, string functionName);

    [LoggerMessage(3112, LogLevel.Warning, "CloudFront: function {FunctionName} could not be deleted yet ({Reason}); it is removed when the service is deleted.")]
    public static partial void FunctionKept(ILogger logger, string functionName, string reason);
}
