using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Poppy.Sdk;
using Poppy.Sdk.Akamai;
using Poppy.Sdk.Akamai.Internal;
using Poppy.Sdk.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Akamai accounts to Poppy: <c>services.AddPoppy().AddAkamai(...)</c>.</summary>
public static class AkamaiPoppyBuilderExtensions
{
    /// <summary>The prefix of the named <see cref="HttpClient"/> of each Akamai provider (<c>Poppy.Akamai.&lt;name&gt;</c>).</summary>
    public const string HttpClientNamePrefix = "Poppy.Akamai.";

    /// <summary>
    /// Adds an Akamai provider configured in code. The options are validated when the host starts (credentials or an
    /// <c>.edgerc</c> section, contract, group, product, notify e-mails, a dated rule format). Calling it again with the
    /// same name keeps the first registration.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="name">The provider's name (default <c>akamai</c>; use another for a second account).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name (add handlers with
    /// <c>services.AddHttpClient(builder.HttpClientName!)</c>); it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddAkamai(this IPoppyBuilder builder, string name = "akamai", Action<AkamaiCdnProviderOptions>? configure = null)
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
    /// Adds an Akamai provider bound from a configuration section (for example <c>Akamai</c>, beside <c>Poppy</c>: vendor
    /// options never go inside the <c>Poppy</c> section, whose unknown keys are errors) with keys <c>Host</c>,
    /// <c>ClientToken</c>, <c>ClientSecret</c>, <c>AccessToken</c>, <c>MaxBody</c>, <c>EdgeRcPath</c>, <c>EdgeRcSection</c>,
    /// <c>BaseAddress</c>, <c>ContractId</c>, <c>GroupId</c>, <c>ProductId</c>, <c>Networks</c>, <c>NotifyEmails</c>,
    /// <c>EdgeHostnameDomain</c>, <c>CpCodeId</c>, <c>RuleFormat</c>, <c>AccountSwitchKey</c>, <c>PollingInterval</c>,
    /// <c>BusyRetryDelay</c>, <c>PapiRequestsPerMinute</c>, <c>PapiBurst</c>. Unknown keys are errors.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="configuration">The section holding this account's options.</param>
    /// <param name="name">The provider's name.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name; it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddAkamai(this IPoppyBuilder builder, IConfiguration configuration, string name = "akamai")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, name, options =>
        {
            options.Configure(o => ConfigurationBinding.Run(configuration, () => configuration.Bind(o, b => b.ErrorOnUnknownConfiguration = true), AllowedValues, UnknownKeyHint));
            options.Services.AddSingleton<IOptionsChangeTokenSource<AkamaiCdnProviderOptions>>(new ConfigurationChangeTokenSource<AkamaiCdnProviderOptions>(options.Name, configuration));
        });
    }

    private const string UnknownKeyHint = "The Akamai section holds only Akamai options (see the package README); flavors and resilience go in the \"Poppy\" section.";

    private static readonly Dictionary<string, string> AllowedValues = new(StringComparer.Ordinal)
    {
        [typeof(AkamaiActivationNetworks).FullName!] = "StagingThenProduction, Staging or Production",
    };

    private static IPoppyProviderBuilder AddCore(IPoppyBuilder builder, string name, Action<OptionsBuilder<AkamaiCdnProviderOptions>> configure) =>
        HttpProviderRegistration.Add(builder, new HttpProviderDescriptor<AkamaiCdnProviderOptions>(
            name,
            HttpClientNamePrefix + name,
            configure,
            static (o, n) => o.Name = n,
            static o => o.Validate(),
            static args => ValueTask.FromResult(AkamaiRetryPolicy.ShouldRetry(args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage(), args.Outcome.Result, args.Outcome.Exception)),
            // EdgeGrid is the client's handler, applied once per attempt (fresh timestamp and nonce); the provider never signs.
            static (sp, options) => new AkamaiAuthHandler(() => options().Credentials(), sp.GetService<TimeProvider>() ?? TimeProvider.System),
            static (sp, http, options) => new AkamaiCdnProvider(http, options, sp.GetService<TimeProvider>(), sp.GetService<ILogger<AkamaiCdnProvider>>()))
        {
            WriteRateLimit = AkamaiWriteBudget.Limit,
            CountsAgainstWriteLimit = AkamaiWriteBudget.Counts,
        });
}
