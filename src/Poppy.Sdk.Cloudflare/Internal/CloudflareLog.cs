using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// The Cloudflare provider's log messages (event ids 3300–3399, stable; 3200–3299 is left to Akamai). None carries a
/// credential. Each HTTP call is logged by the shared vendor connection (2000–2009).
/// </summary>
internal static partial class CloudflareLog
{
    [LoggerMessage(3300, LogLevel.Information, "Cloudflare: writing service {ServiceId} ({Hostnames} custom hostname(s), {Rules} rule(s)).")]
    public static partial void Writing(ILogger logger, string serviceId, int hostnames, int rules);

    [LoggerMessage(3301, LogLevel.Information, "Cloudflare: custom hostname {Hostname} already exists for {ServiceId}; converging it.")]
    public static partial void Converging(ILogger logger, string serviceId, string hostname);

    [LoggerMessage(3302, LogLevel.Information, "Cloudflare: created the {Phase} entry point of zone {ZoneId}.")]
    public static partial void EntryPointCreated(ILogger logger, string phase, string zoneId);

    [LoggerMessage(3303, LogLevel.Information, "Cloudflare: deleted service {ServiceId} ({Hostnames} custom hostname(s), {Rules} rule(s)).")]
    public static partial void Deleted(ILogger logger, string serviceId, int hostnames, int rules);

    [LoggerMessage(3304, LogLevel.Information, "Cloudflare: service {ServiceId} does not exist.")]
    public static partial void NotFound(ILogger logger, string serviceId);

    [LoggerMessage(3305, LogLevel.Debug, "Cloudflare: purged service {ServiceId}: {Kind}, {Count} item(s), {Calls} call(s).")]
    public static partial void Purged(ILogger logger, string serviceId, string kind, int count, int calls);

    [LoggerMessage(3306, LogLevel.Warning, "Cloudflare: rule {Ref} went missing from the {Phase} entry point after it was written (a concurrent entry point creation?); writing it again.")]
    public static partial void RuleLost(ILogger logger, string @ref, string phase);

    [LoggerMessage(3307, LogLevel.Warning, "Cloudflare: service {ServiceId} was changed outside Poppy: {Drift}.")]
    public static partial void Drift(ILogger logger, string serviceId, string drift);
}
