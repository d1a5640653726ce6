using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Poppy.Sdk;
using Poppy.Sdk.Cloudflare;
using Poppy.Sdk.Cloudflare.Internal;
using Poppy.Sdk.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Cloudflare SaaS zones to Poppy: <c>services.AddPoppy().AddCloudflare(...)</c>.</summary>
public static class CloudflarePoppyBuilderExtensions
{
    /// <summary>The prefix of the named <see cref="HttpClient"/> of each Cloudflare provider (<c>Poppy.Cloudflare.&lt;name&gt;</c>).</summary>
    public const string HttpClientNamePrefix = "Poppy.Cloudflare.";

    /// <summary>
    /// Adds a Cloudflare provider configured in code. The options are validated when the host starts (an API token, a
    /// zone id and a CNAME target are required). Calling it again with the same name keeps the first registration.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="name">The provider's name (default <c>cloudflare</c>; use another for a second zone).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name; it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddCloudflare(this IPoppyBuilder builder, string name = "cloudflare", Action<CloudflareCdnProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddCore(builder, name, options =>
        {
            if (configure is not null)
            {
                options.Configure(configure);
            }
        });
    }

    /// <summary>
    /// Adds a Cloudflare provider bound from a configuration section (for example <c>Cloudflare</c>, beside <c>Poppy</c>:
    /// vendor options never go inside the <c>Poppy</c> section) with keys <c>ApiToken</c>, <c>AccountId</c>, <c>ZoneId</c>,
    /// <c>Plan</c>, <c>CnameTarget</c>, <c>FallbackOrigin</c>, <c>FallbackOriginPolicy</c>, <c>ValidationMethod</c>,
    /// <c>TreatSoftPurgeAsHard</c>, <c>PollingInterval</c>, <c>BaseAddress</c>, <c>ApiRequestsPerFiveMinutes</c>. Unknown keys are errors.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="configuration">The section holding this zone's options.</param>
    /// <param name="name">The provider's name.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name; it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddCloudflare(this IPoppyBuilder builder, IConfiguration configuration, string name = "cloudflare")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, name, options =>
        {
            options.Configure(o => ConfigurationBinding.Run(
                configuration,
                () => configuration.Bind(o, b => b.ErrorOnUnknownConfiguration = true),
                new Dictionary<string, string>([ConfigurationBinding.Allowed<CloudflarePlanTier>(), ConfigurationBinding.Allowed<CloudflareFallbackOriginPolicy>(), ConfigurationBinding.Allowed<CloudflareValidationMethod>()]),
                unknownKeyHint: UnknownKeyHint));
            options.Services.AddSingleton<IOptionsChangeTokenSource<CloudflareCdnProviderOptions>>(new ConfigurationChangeTokenSource<CloudflareCdnProviderOptions>(options.Name, configuration));
        });
    }

    private const string UnknownKeyHint = "The Cloudflare section holds only Cloudflare options (see the package README); flavors and resilience go in the \"Poppy\" section.";

    private static IPoppyProviderBuilder AddCore(IPoppyBuilder builder, string name, Action<OptionsBuilder<CloudflareCdnProviderOptions>> configure) =>
        HttpProviderRegistration.Add(builder, new HttpProviderDescriptor<CloudflareCdnProviderOptions>(
            name,
            HttpClientNamePrefix + name,
            configure,
            static (o, n) => o.Name = n,
            static o => o.Validate(),
            static args => ValueTask.FromResult(
                CloudflareRetryPolicy.ShouldRetry(args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage(), args.Outcome.Result, args.Outcome.Exception)),
            static (_, options) => new CloudflareAuthHandler(() => options().ApiToken),
            static (sp, http, options) => new CloudflareCdnProvider(http, options, sp.GetService<TimeProvider>(), sp.GetService<ILogger<CloudflareCdnProvider>>()))
        {
            WriteRateLimit = CloudflareWriteBudget.Limit,
            CountsAgainstWriteLimit = CloudflareWriteBudget.Counts,
        });
}
