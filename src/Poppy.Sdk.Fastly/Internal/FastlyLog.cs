using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// The Fastly provider's log messages (event ids 3000–3099, stable). None carries a credential. Each HTTP call is logged
/// by the shared vendor connection (2000–2009); 3009, 3011 and 3012 were those calls' messages and stay retired.
/// </summary>
internal static partial class FastlyLog
{
    [LoggerMessage(3000, LogLevel.Information, "Fastly: creating service {ServiceId}.")]
    public static partial void Creating(ILogger logger, string serviceId);

    [LoggerMessage(3001, LogLevel.Information, "Fastly: service {ServiceId} already exists as {VendorServiceId}; converging it to the spec.")]
    public static partial void Converging(ILogger logger, string serviceId, string vendorServiceId);

    [LoggerMessage(3002, LogLevel.Information, "Fastly: created service {VendorServiceId} for {ServiceId}.")]
    public static partial void Created(ILogger logger, string serviceId, string vendorServiceId);

    [LoggerMessage(3003, LogLevel.Information, "Fastly: activated version {Version} of service {VendorServiceId} ({ServiceId}).")]
    public static partial void Activated(ILogger logger, string serviceId, string vendorServiceId, int version);

    [LoggerMessage(3004, LogLevel.Information, "Fastly: service {VendorServiceId} ({ServiceId}) already matches the spec at version {Version}; nothing to deploy.")]
    public static partial void Unchanged(ILogger logger, string serviceId, string vendorServiceId, int version);

    [LoggerMessage(3005, LogLevel.Information, "Fastly: updating service {VendorServiceId} ({ServiceId}) from version {Version}.")]
    public static partial void Updating(ILogger logger, string serviceId, string vendorServiceId, int version);

    [LoggerMessage(3006, LogLevel.Information, "Fastly: deleted service {VendorServiceId} ({ServiceId}).")]
    public static partial void Deleted(ILogger logger, string serviceId, string vendorServiceId);

    [LoggerMessage(3007, LogLevel.Information, "Fastly: service {ServiceId} does not exist.")]
    public static partial void NotFound(ILogger logger, string serviceId);

    [LoggerMessage(3008, LogLevel.Debug, "Fastly: purged service {VendorServiceId} ({ServiceId}): {Kind}, {Count} item(s), {Calls} call(s), soft={Soft}.")]
    public static partial void Purged(ILogger logger, string serviceId, string vendorServiceId, string kind, int count, int calls, bool soft);

    [LoggerMessage(3010, LogLevel.Warning, "Fastly: service {VendorServiceId} ({ServiceId}) was changed outside Poppy: {Drift}.")]
    public static partial void Drift(ILogger logger, string serviceId, string vendorServiceId, string drift);
}
