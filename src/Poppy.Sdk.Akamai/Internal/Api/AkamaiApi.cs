using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.Akamai.Internal.Api;

/// <summary>
/// The Akamai APIs as Poppy uses them (PAPI v1, Fast Purge v3): thin resource clients over one
/// <see cref="VendorConnection"/>. Authentication is not here: the <see cref="HttpClient"/>'s <see cref="AkamaiAuthHandler"/>
/// signs every request with EdgeGrid.
/// </summary>
internal sealed class AkamaiApi
{
    /// <summary>The headers Akamai puts a request id in.</summary>
    public static readonly string[] RequestIdHeaders = ["X-Trace-Id", "X-Akamai-Request-Id"];

    public AkamaiApi(HttpClient http, AkamaiCdnProviderOptions options, Uri baseAddress, TimeProvider time, ILogger logger)
    {
        Connection = new VendorConnection(
            http,
            new VendorConnectionSettings
            {
                Provider = options.Name,
                Vendor = "Akamai",
                BaseAddress = baseAddress,
                Accept = "application/json",
                RequestIdHeaders = RequestIdHeaders,
                RateLimitRemainingHeader = "X-RateLimit-Remaining",
                Scrubber = new SecretScrubber(() =>
                {
                    var c = options.Credentials();
                    return [c.ClientSecret, c.AccessToken, c.ClientToken, options.ClientSecret, options.AccessToken, options.ClientToken];
                }),
            },
            AkamaiErrorMapper.Instance,
            time,
            logger);
        var requests = new AkamaiRequests(options);
        Properties = new PropertiesClient(Connection, requests, options);
        Versions = new VersionsClient(Connection, requests, options);
        Activations = new ActivationsClient(Connection, requests);
        CpCodes = new CpCodesClient(Connection, requests, options);
        EdgeHostnames = new EdgeHostnamesClient(Connection, requests, options);
        Purge = new PurgeClient(Connection, requests);
    }

    public VendorConnection Connection { get; }

    public PropertiesClient Properties { get; }

    public VersionsClient Versions { get; }

    public ActivationsClient Activations { get; }

    public CpCodesClient CpCodes { get; }

    public EdgeHostnamesClient EdgeHostnames { get; }

    public PurgeClient Purge { get; }
}
