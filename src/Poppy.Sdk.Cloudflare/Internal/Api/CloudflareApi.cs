using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.Cloudflare.Internal.Api;

/// <summary>
/// The Cloudflare v4 API as Poppy uses it: thin resource clients over one <see cref="VendorConnection"/>. Authentication
/// is not here: the <see cref="HttpClient"/>'s <see cref="CloudflareAuthHandler"/> adds the bearer token.
/// </summary>
internal sealed class CloudflareApi
{
    /// <summary>The header Cloudflare puts its request id in.</summary>
    public static readonly string[] RequestIdHeaders = ["CF-Ray"];

    public CloudflareApi(HttpClient http, CloudflareCdnProviderOptions options, TimeProvider time, ILogger logger)
    {
        Connection = new VendorConnection(
            http,
            new VendorConnectionSettings
            {
                Provider = options.Name,
                Vendor = "Cloudflare",
                BaseAddress = options.BaseAddress,
                Accept = "application/json",
                RequestIdHeaders = RequestIdHeaders,
                RateLimitRetryAfter = CloudflareRequests.RateLimitReset,
                Scrubber = new SecretScrubber(options.ApiToken),
            },
            CloudflareErrorMapper.Instance,
            time,
            logger);
        Zones = new ZonesClient(Connection);
        Hostnames = new CustomHostnamesClient(Connection, options.ZoneId);
        Rulesets = new RulesetsClient(Connection, options.ZoneId);
        Purge = new PurgeClient(Connection, options.ZoneId);
    }

    public VendorConnection Connection { get; }

    public ZonesClient Zones { get; }

    public CustomHostnamesClient Hostnames { get; }

    public RulesetsClient Rulesets { get; }

    public PurgeClient Purge { get; }
}
