using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>The Akamai provider's log messages (event ids 3200–3299, stable). None carries a credential.</summary>
internal static partial class AkamaiLog
{
    [LoggerMessage(3200, LogLevel.Information, "Akamai: creating property {PropertyName} for {ServiceId}.")]
    public static partial void Creating(ILogger logger, string serviceId, string propertyName);

    [LoggerMessage(3201, LogLevel.Information, "Akamai: property {PropertyId} already exists for {ServiceId}; converging it to the spec.")]
    public static partial void Converging(ILogger logger, string serviceId, string propertyId);

    [LoggerMessage(3202, LogLevel.Information, "Akamai: version {Version} of property {PropertyId} submitted for activation on {Network} ({ActivationId}).")]
    public static partial void Activating(ILogger logger, string propertyId, int version, string network, string activationId);

    [LoggerMessage(3203, LogLevel.Information, "Akamai: version {Version} of property {PropertyId} is active on {Network}.")]
    public static partial void Active(ILogger logger, string propertyId, int version, string network);

    [LoggerMessage(3204, LogLevel.Information, "Akamai: deleting property {PropertyId} ({ServiceId}): {Step}.")]
    public static partial void Deleting(ILogger logger, string serviceId, string propertyId, string step);

    [LoggerMessage(3205, LogLevel.Warning, "Akamai: the etag of version {Version} of property {PropertyId} changed under us (412); re-reading and retrying once.")]
    public static partial void PreconditionRetry(ILogger logger, string propertyId, int version);

    [LoggerMessage(3206, LogLevel.Warning, "Akamai: property {PropertyId} is busy (409, another edit or activation in progress); retrying once after {Delay}.")]
    public static partial void BusyRetry(ILogger logger, string propertyId, TimeSpan delay);

    [LoggerMessage(3207, LogLevel.Information, "Akamai: {Action} of {Count} {Type} object(s) on {Network} accepted ({PurgeId}, about {EstimatedSeconds} s).")]
    public static partial void Purged(ILogger logger, string action, int count, string type, string network, string? purgeId, int estimatedSeconds);

    [LoggerMessage(3208, LogLevel.Information, "Akamai: purge refused for now by the account's Fast Purge budget ({Bucket}); retry after {RetryAfter}.")]
    public static partial void PurgePaced(ILogger logger, string bucket, TimeSpan retryAfter);

    [LoggerMessage(3209, LogLevel.Warning, "Akamai: property {PropertyId} ({ServiceId}) was changed outside Poppy: {Drift}.")]
    public static partial void Drift(ILogger logger, string serviceId, string propertyId, string drift);

    [LoggerMessage(3210, LogLevel.Information, "Akamai: version {Version} of property {PropertyId} was already active on {Network} (422); counted as done.")]
    public static partial void AlreadyActive(ILogger logger, string propertyId, int version, string network);

    [LoggerMessage(3211, LogLevel.Information, "Akamai: another version's activation of property {PropertyId} is still pending on {Network}; version {Version} is submitted once it finishes.")]
    public static partial void WaitingForOtherActivation(ILogger logger, string propertyId, int version, string network);
}
