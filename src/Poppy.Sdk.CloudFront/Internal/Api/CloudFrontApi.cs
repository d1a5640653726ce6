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
                Scrubber = CredentialScrubber(options),
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

    /// <summary>
    /// The scrubber for this account's credentials: the secret access key and the session token, which are secrets, and
    /// the access key id. AWS calls the key id an identifier, not a secret, but it names the account (STS
    /// GetAccessKeyInfo), and a temporary <c>ASIA…</c> id is one half of a session; a message loses nothing a caller
    /// needs without it (the provider name says which account failed). Read per scrub, so rotating credentials from
    /// <see cref="CloudFrontCdnProviderOptions.CredentialsProvider"/> are followed.
    /// </summary>
    public static SecretScrubber CredentialScrubber(CloudFrontCdnProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SecretScrubber(() =>
        {
            var current = options.CredentialsProvider?.Invoke();
            return [options.AccessKeyId, options.SecretAccessKey, options.SessionToken, current?.AccessKeyId, current?.SecretAccessKey, current?.SessionToken];
        });
    }

    public DistributionsClient Distributions { get; }

    public InvalidationsClient Invalidations { get; }

    public FunctionsClient Functions { get; }

    public TagsClient Tags { get; }
}
