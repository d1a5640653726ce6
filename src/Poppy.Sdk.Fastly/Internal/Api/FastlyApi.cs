using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.Fastly.Internal.Api;

/// <summary>
/// The Fastly REST API as Poppy uses it: thin resource clients over one <see cref="VendorConnection"/> (the transport,
/// logging and error mapping written once). Authentication is not here: the <see cref="HttpClient"/>'s
/// <see cref="FastlyAuthHandler"/> adds <c>Fastly-Key</c>.
/// </summary>
internal sealed class FastlyApi
{
    /// <summary>The headers Fastly puts its request id in.</summary>
    public static readonly string[] RequestIdHeaders = ["Fastly-Request-Id", "X-Request-Id"];

    public FastlyApi(HttpClient http, FastlyCdnProviderOptions options, TimeProvider time, ILogger logger)
    {
        #region connection (docs/extending/writing-a-provider.md)
        Connection = new VendorConnection(
            http,
            new VendorConnectionSettings
            {
                Provider = options.Name,
                Vendor = "Fastly",
                BaseAddress = options.BaseAddress,
                Accept = "application/json",
                RequestIdHeaders = RequestIdHeaders,
                RateLimitRetryAfter = FastlyErrorMapper.RateLimitReset,
                RateLimitRemainingHeader = "Fastly-RateLimit-Remaining",
                Scrubber = new SecretScrubber(options.ApiToken),
            },
            FastlyErrorMapper.Instance,
            time,
            logger);
        Services = new ServicesClient(Connection);
        #endregion
        Versions = new VersionsClient(Connection);
        Objects = new VersionedObjectsClient(Connection);
        Acls = new AclsClient(Connection);
        Purge = new PurgeClient(Connection);
    }

    public VendorConnection Connection { get; }

    public ServicesClient Services { get; }

    public VersionsClient Versions { get; }

    public VersionedObjectsClient Objects { get; }

    public AclsClient Acls { get; }

    public PurgeClient Purge { get; }
}
