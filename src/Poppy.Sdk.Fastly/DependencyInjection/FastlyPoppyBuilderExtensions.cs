using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Poppy.Sdk;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Fastly;
using Poppy.Sdk.Fastly.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Fastly accounts to Poppy: <c>services.AddPoppy().AddFastly(...)</c>.</summary>
public static class FastlyPoppyBuilderExtensions
{
    /// <summary>The prefix of the named <see cref="HttpClient"/> of each Fastly provider (<c>Poppy.Fastly.&lt;name&gt;</c>).</summary>
    public const string HttpClientNamePrefix = "Poppy.Fastly.";

    /// <summary>
    /// Adds a Fastly provider configured in code. The options are validated when the host starts (an
    /// API token and an absolute base address are required). Calling it again with the same name keeps
    /// the first registration.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="name">The provider's name (default <c>fastly</c>; use another for a second account).</param>
    /// <param name="configure">Sets the options, at least <see cref="FastlyCdnProviderOptions.ApiToken"/>.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name (add handlers with
    /// <c>services.AddHttpClient(builder.HttpClientName!)</c>); it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddFastly(this IPoppyBuilder builder, string name = "fastly", Action<FastlyCdnProviderOptions>? configure = null)
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

    /// <summary>Adds a Fastly provider named <c>fastly</c> bound from a configuration section; see <see cref="AddFastly(IPoppyBuilder, string, IConfiguration)"/>.</summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="configuration">The section holding the account's options (for example <c>configuration.GetSection("Fastly")</c>).</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name; it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddFastly(this IPoppyBuilder builder, IConfiguration configuration) =>
        builder.AddFastly("fastly", configuration);

    /// <summary>
    /// Adds a Fastly provider bound from a configuration section (for example <c>Fastly</c>, beside <c>Poppy</c>: vendor options never go inside the <c>Poppy</c> section, whose unknown keys are errors) with keys
    /// <c>ApiToken</c>, <c>BaseAddress</c>, <c>AccessUrlTarget</c>, <c>SharedCertificateDomain</c>,
    /// <c>PurgeRequestsPerSecond</c>, <c>PurgeBurst</c>, <c>WriteRequestsPerHour</c>, <c>ForbiddenResponseContent</c>. Unknown keys are errors.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="name">The provider's name (use another than <c>fastly</c> for a second account).</param>
    /// <param name="configuration">The section holding this account's options.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name (add handlers with
    /// <c>services.AddHttpClient(builder.HttpClientName!)</c>); it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddFastly(this IPoppyBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, name, options =>
        {
            options.Configure(o => ConfigurationBinding.Run(configuration, () => configuration.Bind(o, b => b.ErrorOnUnknownConfiguration = true), unknownKeyHint: UnknownKeyHint));
            options.Services.AddSingleton<IOptionsChangeTokenSource<FastlyCdnProviderOptions>>(new ConfigurationChangeTokenSource<FastlyCdnProviderOptions>(options.Name, configuration));
        });
    }

    private const string UnknownKeyHint = "The Fastly section holds only Fastly options (see the package README); flavors and resilience go in the \"Poppy\" section.";

    #region add-core (docs/extending/writing-a-provider.md)
    private static IPoppyProviderBuilder AddCore(IPoppyBuilder builder, string name, Action<OptionsBuilder<FastlyCdnProviderOptions>> configure) =>
        HttpProviderRegistration.Add(builder, new HttpProviderDescriptor<FastlyCdnProviderOptions>(
            name,
            HttpClientNamePrefix + name,
            configure,
            static (o, n) => o.Name = n,
            static o => o.Validate(),
            static args => ValueTask.FromResult(
                FastlyRetryPolicy.ShouldRetry(args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage(), args.Outcome.Result, args.Outcome.Exception)),
            static (_, options) => new FastlyAuthHandler(() => options().ApiToken),
            static (sp, http, options) => new FastlyCdnProvider(http, options, sp.GetService<TimeProvider>(), sp.GetService<ILogger<FastlyCdnProvider>>()))
        {
            WriteRateLimit = FastlyWriteBudget.Limit,
            CountsAgainstWriteLimit = FastlyWriteBudget.Counts,
        });
    #endregion
}
