using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Poppy.Sdk;
using Poppy.Sdk.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Poppy.Sdk: <c>services.AddPoppy(...)</c>, then the vendor packages' <c>.AddFastly()</c> and so on.</summary>
public static class PoppyServiceCollectionExtensions
{
    /// <summary>Registers the composite client, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures flavors and resilience.</param>
    /// <returns>A builder to add providers to.</returns>
    public static IPoppyBuilder AddPoppy(this IServiceCollection services, Action<PoppyClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = AddCore(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Registers the composite client, bound from configuration: <paramref name="configuration"/> is
    /// either the root (the <c>Poppy</c> section is read) or the section itself. Unknown keys are errors.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root or the <c>Poppy</c> section.</param>
    /// <returns>A builder to add providers to.</returns>
    public static IPoppyBuilder AddPoppy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection { Key: PoppyClientOptions.SectionName } s ? s : configuration.GetSection(PoppyClientOptions.SectionName);
        var builder = AddCore(services);
        services.AddOptions<PoppyClientOptions>().Configure(o => ConfigurationBinding.Run(
            section,
            () => section.Bind(o, b => b.ErrorOnUnknownConfiguration = true),
            AllowedValues,
            UnknownKeyHint));
        services.AddSingleton<IOptionsChangeTokenSource<PoppyClientOptions>>(new ConfigurationChangeTokenSource<PoppyClientOptions>(section));
        return builder;
    }

    private const string UnknownKeyHint =
        "The \"Poppy\" section holds Flavors, CircuitBreaker, ProviderCallTimeout, PurgeConcurrencyPerProvider and Journal; "
        + "each vendor's options go in their own section beside it (\"Fastly\", \"CloudFront\"), bound with AddFastly(configuration.GetSection(\"Fastly\")) and so on.";

    private static readonly Dictionary<string, string> AllowedValues = new[] { ConfigurationBinding.Allowed<FlavorMode>() }.ToDictionary(StringComparer.Ordinal);

    private static PoppyBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<PoppyClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PoppyClientOptions>, PoppyClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IServiceCatalog, InMemoryServiceCatalog>();
        services.TryAddSingleton(sp => new PoppyClient(
            sp.GetServices<CdnProviderRegistration>().Select(r => r.Name).Distinct(StringComparer.Ordinal).Select(name => sp.GetRequiredKeyedService<ICdnProvider>(name)),
            sp.GetRequiredService<IOptions<PoppyClientOptions>>().Value,
            sp.GetRequiredService<IServiceCatalog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IRateBudgetStore>(),
            sp.GetService<IOperationJournal>()));

        // Finishes operations whose owner stopped; idle unless a journal is registered (the durable stores register one).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, OperationRecoveryService>(sp => new OperationRecoveryService(
            sp.GetRequiredService<PoppyClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<OperationRecoveryService>>())));
        return new PoppyBuilder(services);
    }

    private sealed class PoppyBuilder(IServiceCollection services) : IPoppyBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class PoppyClientOptionsValidator(IEnumerable<CdnProviderRegistration> registrations) : IValidateOptions<PoppyClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, PoppyClientOptions options)
        {
            var problems = options.Validate(registrations.Select(r => r.Name).Distinct(StringComparer.Ordinal).ToList());
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
