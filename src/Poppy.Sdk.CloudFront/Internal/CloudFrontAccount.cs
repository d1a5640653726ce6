using Microsoft.Extensions.Logging;
using Poppy.Sdk.CloudFront.Internal.Api;
using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>One CloudFront account as the provider's parts share it: its name, API client, options, clock and logger, and the checks every step makes.</summary>
internal sealed class CloudFrontAccount
{
    public CloudFrontAccount(string name, CloudFrontApi api, CloudFrontCdnProviderOptions options, TimeProvider time, ILogger logger)
    {
        Name = name;
        Api = api;
        Options = options;
        Time = time;
        Logger = logger;
    }

    /// <summary>The provider's registered name (the first part of its operation ids).</summary>
    public string Name { get; }

    public CloudFrontApi Api { get; }

    public CloudFrontCdnProviderOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Refuses a distribution that was not created by Poppy for this service (its caller reference is the service id).</summary>
    /// <exception cref="CdnRequestFailedException">409: another service's distribution, or not Poppy's.</exception>
    public void RequireOwned(string serviceId, string distributionId, DistributionConfig config)
    {
        if (config.CallerReference != serviceId)
        {
            throw new CdnRequestFailedException(
                Name,
                CloudFrontTranslator.ReadStamp(config.Comment) is null
                    ? $"CloudFront distribution '{distributionId}' was not created by Poppy for service '{serviceId}'; Poppy will not change a distribution it did not create."
                    : $"CloudFront distribution '{distributionId}' belongs to Poppy service '{config.CallerReference}', not '{serviceId}'.",
                409,
                CdnErrorCode.Conflict,
                isTransient: false);
        }
    }

    public string RequireETag(string? etag, string operation) =>
        etag is { Length: > 0 } ? etag : throw new CdnRequestFailedException(Name, $"CloudFront {operation} returned no ETag.", null, CdnErrorCode.MalformedResponse, isTransient: false);

    public CdnRequestFailedException NotFound(string serviceId) =>
        new(Name, $"CloudFront has no distribution for Poppy service '{serviceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);
}
