using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Poppy.Sdk;
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
    /// <returns>The builder.</returns>
    public static IPoppyBuilder AddFastly(this IPoppyBuilder builder, string name = "fastly", Action<FastlyCdnProviderOptions>? configure = null)
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
    /// Adds a Fastly provider bound from a configuration section (for example <c>Poppy:Fastly</c>) with keys
    /// <c>ApiToken</c>, <c>BaseAddress</c>, <c>AccessUrlTarget</c>, <c>SharedCertificateDomain</c>,
    /// <c>PurgeRequestsPerSecond</c>, <c>PurgeBurst</c>, <c>ForbiddenResponseContent</c>. Unknown keys are errors.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="configuration">The section holding this account's options.</param>
    /// <param name="name">The provider's name.</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder AddFastly(this IPoppyBuilder builder, IConfiguration configuration, string name = "fastly")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, name, options => options.Bind(configuration, o => o.ErrorOnUnknownConfiguration = true));
    }

    private static IPoppyBuilder AddCore(IPoppyBuilder builder, string name, Action<OptionsBuilder<FastlyCdnProviderOptions>> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(CdnProviderRegistration) && d.ImplementationInstance is CdnProviderRegistration r && r.Name == name))
        {
            return builder;
        }

        var options = services.AddOptions<FastlyCdnProviderOptions>(name);
        configure(options);
        options.PostConfigure(o => o.Name = name).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FastlyCdnProviderOptions>, FastlyCdnProviderOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var clientName = HttpClientNamePrefix + name;
        services.AddHttpClient(clientName)
            // The factory's default request logging puts header values (the token) in the structured log
            // state even when the message redacts them; the provider logs its calls itself, without headers.
            .RemoveAllLoggers()
            .AddHttpMessageHandler(sp => new FastlyAuthHandler(() => sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get(name).ApiToken))
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.ShouldHandle = static args => ValueTask.FromResult(
                    FastlyRetryPolicy.ShouldRetry(args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage(), args.Outcome.Result, args.Outcome.Exception));

                // Circuit breaking lives in the composite client (one breaker per provider), not per HTTP attempt.
                resilience.CircuitBreaker.ShouldHandle = static _ => PredicateResult.False();
            });

        return builder.AddProvider(name, sp => new FastlyCdnProvider(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get(name),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<FastlyCdnProvider>>()));
    }

    private sealed class FastlyCdnProviderOptionsValidator : IValidateOptions<FastlyCdnProviderOptions>
    {
        public ValidateOptionsResult Validate(string? name, FastlyCdnProviderOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
