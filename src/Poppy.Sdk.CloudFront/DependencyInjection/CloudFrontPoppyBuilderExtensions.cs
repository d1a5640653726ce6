using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Poppy.Sdk;
using Poppy.Sdk.Internal;
using Poppy.Sdk.CloudFront;
using Poppy.Sdk.CloudFront.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Amazon CloudFront accounts to Poppy: <c>services.AddPoppy().AddCloudFront(...)</c>.</summary>
public static class CloudFrontPoppyBuilderExtensions
{
    /// <summary>The prefix of the named <see cref="HttpClient"/> of each CloudFront provider (<c>Poppy.CloudFront.&lt;name&gt;</c>).</summary>
    public const string HttpClientNamePrefix = "Poppy.CloudFront.";

    /// <summary>
    /// Adds a CloudFront provider configured in code. The options are validated when the host starts (an
    /// access key and an absolute base address are required). Calling it again with the same name keeps
    /// the first registration.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="name">The provider's name (default <c>cloudfront</c>; use another for a second account).</param>
    /// <param name="configure">Sets the options, at least the access key.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name (add handlers with
    /// <c>services.AddHttpClient(builder.HttpClientName!)</c>); it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddCloudFront(this IPoppyBuilder builder, string name = "cloudfront", Action<CloudFrontCdnProviderOptions>? configure = null)
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

    /// <summary>Adds a CloudFront provider named <c>cloudfront</c> bound from a configuration section; see <see cref="AddCloudFront(IPoppyBuilder, string, IConfiguration)"/>.</summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="configuration">The section holding the account's options (for example <c>configuration.GetSection("CloudFront")</c>).</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name; it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddCloudFront(this IPoppyBuilder builder, IConfiguration configuration) =>
        builder.AddCloudFront("cloudfront", configuration);

    /// <summary>
    /// Adds a CloudFront provider bound from a configuration section (for example <c>CloudFront</c>, beside <c>Poppy</c>: vendor options never go inside the <c>Poppy</c> section, whose unknown keys are errors) with keys
    /// <c>AccessKeyId</c>, <c>SecretAccessKey</c>, <c>SessionToken</c>, <c>BaseAddress</c>, <c>AcmCertificateArn</c>,
    /// <c>MinimumProtocolVersion</c>, <c>CacheTagHeaderName</c>, <c>PollingInterval</c>, <c>WriteRequestsPerSecond</c>, <c>WriteBurst</c>.
    /// Unknown keys are errors.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="name">The provider's name (use another than <c>cloudfront</c> for a second account).</param>
    /// <param name="configuration">The section holding this account's options.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name (add handlers with
    /// <c>services.AddHttpClient(builder.HttpClientName!)</c>); it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddCloudFront(this IPoppyBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, name, options =>
        {
            options.Configure(o => ConfigurationBinding.Run(configuration, () => configuration.Bind(o, b => b.ErrorOnUnknownConfiguration = true), unknownKeyHint: UnknownKeyHint));
            options.Services.AddSingleton<IOptionsChangeTokenSource<CloudFrontCdnProviderOptions>>(new ConfigurationChangeTokenSource<CloudFrontCdnProviderOptions>(options.Name, configuration));
        });
    }

    private const string UnknownKeyHint = "The CloudFront section holds only CloudFront options (see the package README); flavors and resilience go in the \"Poppy\" section.";

    private static IPoppyProviderBuilder AddCore(IPoppyBuilder builder, string name, Action<OptionsBuilder<CloudFrontCdnProviderOptions>> configure) =>
        HttpProviderRegistration.Add(builder, new HttpProviderDescriptor<CloudFrontCdnProviderOptions>(
            name,
            HttpClientNamePrefix + name,
            configure,
            static (o, n) => o.Name = n,
            static o => o.Validate(),
            static args => CloudFrontRetryPolicy.ShouldRetryAsync(args.Outcome.Result, args.Outcome.Exception),
            // SigV4 is the client's handler, applied once per attempt; the provider never signs.
            static (sp, options) => new CloudFrontAuthHandler(() => options().Credentials(), sp.GetService<TimeProvider>() ?? TimeProvider.System),
            static (sp, http, options) => new CloudFrontCdnProvider(http, options, sp.GetService<TimeProvider>(), sp.GetService<ILogger<CloudFrontCdnProvider>>()))
        {
            WriteRateLimit = CloudFrontWriteBudget.Limit,
            CountsAgainstWriteLimit = CloudFrontWriteBudget.Counts,
        });
}
