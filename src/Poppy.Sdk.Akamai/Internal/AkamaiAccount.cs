using Microsoft.Extensions.Logging;
using Poppy.Sdk.Akamai.Internal.Api;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>One Akamai API client as the provider's parts share it: its name, API, options, clock, logger and translator, and the checks every step makes.</summary>
internal sealed class AkamaiAccount(string name, AkamaiApi api, AkamaiCdnProviderOptions options, AkamaiTranslator translator, TimeProvider time, ILogger logger)
{
    /// <summary>The provider's registered name (the first part of its operation ids).</summary>
    public string Name => name;

    public AkamaiApi Api => api;

    public AkamaiCdnProviderOptions Options => options;

    public AkamaiTranslator Translator => translator;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    /// <summary>Refuses a property that was not created by Poppy for this service (its name is the service's property name).</summary>
    /// <exception cref="CdnRequestFailedException">409: another service's property, or not Poppy's.</exception>
    public void RequireOwned(string serviceId, PropertyItem property)
    {
        if (property.PropertyName != AkamaiTranslator.PropertyName(serviceId))
        {
            throw new CdnRequestFailedException(
                Name,
                property.PropertyName?.StartsWith(AkamaiTranslator.NamePrefix, StringComparison.Ordinal) == true
                    ? $"Akamai property '{property.PropertyId}' ({property.PropertyName}) belongs to another Poppy service, not '{serviceId}'."
                    : $"Akamai property '{property.PropertyId}' was not created by Poppy for service '{serviceId}'; Poppy will not change a property it did not create.",
                409,
                CdnErrorCode.Conflict,
                isTransient: false);
        }
    }

    public CdnRequestFailedException NotFound(string serviceId) =>
        new(Name, $"Akamai has no property for Poppy service '{serviceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);

    /// <summary>Runs an edit; a 409 "resource busy" (another edit or activation in progress) waits and tries once more.</summary>
    public async Task<T> BusyRetryAsync<T>(string propertyId, Func<Task<T>> edit, CancellationToken cancellationToken)
    {
        try
        {
            return await edit().ConfigureAwait(false);
        }
        catch (CdnRequestFailedException e) when (AkamaiErrorMapper.IsBusy(e))
        {
            var delay = (e as CdnRateLimitedException)?.RetryAfter ?? options.BusyRetryDelay;
            AkamaiLog.BusyRetry(logger, propertyId, delay);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return await edit().ConfigureAwait(false);
        }
    }
}
