using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.CloudFront.Internal.Api;

/// <summary>
/// The CloudFront 2020-05-31 REST-XML API as Poppy uses it: thin resource clients over one <see cref="VendorConnection"/>
/// (the transport, logging and error mapping written once). Authentication is not here: the <see cref="HttpClient"/>'s
/// <see cref="CloudFrontAuthHandler"/> signs every request with SigV4.
/// </summary>
internal sealed class CloudFrontApi
{
    /// <summary>The headers AWS puts its request id in.</summary>
    public static readonly string[] RequestIdHeaders = ["x-amzn-RequestId", "x-amz-request-id"];

    public CloudFrontApi(HttpClient http, CloudFrontCdnProviderOptions options, TimeProvider time, ILogger logger)
    {
        Connection = new VendorConnection(
            http,
            new VendorConnectionSettings
            {
                Provider = options.Name,
                Vendor = "CloudFront",
                BaseAddress = new Uri(options.BaseAddress, CloudFrontRequests.Version + "/"),
                RequestIdHeaders = RequestIdHeaders,
            },
            CloudFrontErrorMapper.Instance,
            time,
            logger);
        Distributions = new DistributionsClient(Connection);
        Invalidations = new InvalidationsClient(Connection);
        Functions = new FunctionsClient(Connection);
        Tags = new TagsClient(Connection);
    }

    public VendorConnection Connection { get; }

    public DistributionsClient Distributions { get; }

    public InvalidationsClient Invalidations { get; }

    public FunctionsClient Functions { get; }

    public TagsClient Tags { get; }
}
