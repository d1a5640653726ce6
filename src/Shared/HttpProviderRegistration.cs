using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace Poppy.Sdk.Internal;

/// <summary>Everything <see cref="HttpProviderRegistration.Add"/> needs to register one HTTP vendor provider account.</summary>
/// <typeparam name="TOptions">The provider's options.</typeparam>
/// <param name="ProviderName">The provider's registered name.</param>
/// <param name="HttpClientName">The named <see cref="HttpClient"/>'s name.</param>
/// <param name="Configure">Binds or sets the options.</param>
/// <param name="SetName">Stores the provider name in the options.</param>
/// <param name="Validate">The options' problems, in words.</param>
/// <param name="ShouldRetry">Which failed attempts the resilience handler repeats.</param>
/// <param name="AuthHandler">
/// Builds the handler that authenticates each request (Fastly's key, SigV4), from the options of this account.
/// Auth is always a handler on the named client, so it is applied exactly once; providers never authenticate themselves.
/// </param>
/// <param name="CreateProvider">Builds the provider from the named client and the options.</param>
internal sealed record HttpProviderDescriptor<TOptions>(
    string ProviderName,
    string HttpClientName,
    Action<OptionsBuilder<TOptions>> Configure,
    Action<TOptions, string> SetName,
    Func<TOptions, IReadOnlyList<string>> Validate,
    Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> ShouldRetry,
    Func<IServiceProvider, Func<TOptions>, DelegatingHandler> AuthHandler,
    Func<IServiceProvider, HttpClient, TOptions, ICdnProvider> CreateProvider)
    where TOptions : class
{
    /// <summary>
    /// The account's write pacing from its options (null: unpaced): the same function the provider's
    /// <see cref="CdnCapabilities.WriteRateLimit"/> uses, so capabilities and pipeline never disagree.
    /// </summary>
    public Func<TOptions, WriteRateLimit?> WriteRateLimit { get; init; } = static _ => null;

    /// <summary>Whether the vendor's API rate limit counts a request of this account (for example every non-GET one).</summary>
    public Func<TOptions, HttpRequestMessage, bool> CountsAgainstWriteLimit { get; init; } = static (_, _) => false;
}

/// <summary>
/// The registration every HTTP vendor provider shares (compiled into each vendor package): named options
/// validated on start, a named <see cref="HttpClient"/> without the factory's loggers, with the vendor's auth handler
/// and the standard resilience handler (vendor-specific retry rule, no per-attempt circuit breaker), and the keyed provider.
/// </summary>
internal static class HttpProviderRegistration
{
    /// <summary>
    /// The key of the process-local <see cref="IRateBudgetStore"/> that holds the write budgets when the application
    /// registered no store of its own (<c>UseRedisRateLimits</c> does). The same string in every vendor package, so all
    /// providers of one container share one local store.
    /// </summary>
    internal const string LocalWriteBudgetsKey = "Poppy.Sdk.LocalWriteBudgets";

    /// <summary>Registers one provider account; a second call with the same name keeps the first.</summary>
    /// <typeparam name="TOptions">The provider's options.</typeparam>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="descriptor">The provider to register.</param>
    /// <returns>A builder carrying the provider's name and its <see cref="HttpClient"/>'s name.</returns>
    public static IPoppyProviderBuilder Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IPoppyBuilder builder,
        HttpProviderDescriptor<TOptions> descriptor)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(descriptor);
        var name = descriptor.ProviderName;
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        var result = new PoppyProviderBuilder(services, name, descriptor.HttpClientName);
        if (services.Any(d => d.ServiceType == typeof(CdnProviderRegistration) && d.ImplementationInstance is CdnProviderRegistration r && r.Name == name))
        {
            return result;
        }

        var options = services.AddOptions<TOptions>(name);
        descriptor.Configure(options);
        options.PostConfigure(o => descriptor.SetName(o, name)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new DelegateValidator<TOptions>(descriptor.Validate)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TelemetryOptions>, QuietAttemptTelemetry>());
        services.TryAddKeyedSingleton<IRateBudgetStore>(LocalWriteBudgetsKey, static (sp, _) => new LocalRateBudgetStore(sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(descriptor.HttpClientName)
            // The factory's default request logging puts header values (tokens, signatures) in the structured
            // log state even when the message redacts them; providers log their calls themselves, without headers.
            .RemoveAllLoggers()
            // Write pacing goes outside the resilience handler, so waiting for a token is not cut short by its request
            // timeouts (ADR 0012). The store is the application's (shared through Redis with UseRedisRateLimits), else
            // one in this container; the limit is read per request, so changed options apply without a restart.
            .AddHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<TOptions>>();
                return new WriteBudgetHandler(
                    name,
                    sp.GetService<IRateBudgetStore>() ?? sp.GetRequiredKeyedService<IRateBudgetStore>(LocalWriteBudgetsKey),
                    () => descriptor.WriteRateLimit(options.Get(name)),
                    request => descriptor.CountsAgainstWriteLimit(options.Get(name), request),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetService<ILoggerFactory>()?.CreateLogger("Poppy.Sdk.WriteBudget"));
            })
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.ShouldHandle = descriptor.ShouldRetry;
                // Circuit breaking lives in the composite client (one breaker per provider), not per HTTP attempt.
                resilience.CircuitBreaker.ShouldHandle = static _ => PredicateResult.False();
            });
        // Auth goes inside the resilience handler, so each attempt is authenticated afresh (a SigV4 signature carries
        // its time); handlers replace their headers, so a retried request still carries them once. Options are read
        // per request through the monitor, so rotated credentials apply without a restart. Handlers an application
        // adds later (IPoppyProviderBuilder.HttpClientName) sit inside this one.
        services.AddHttpClient(descriptor.HttpClientName)
            .AddHttpMessageHandler(sp => descriptor.AuthHandler(sp, () => sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)));
        builder.AddProvider(name, sp => descriptor.CreateProvider(
            sp,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(descriptor.HttpClientName),
            sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)));
        return result;
    }

    /// <summary>
    /// Keeps the standard resilience handler's per-attempt log ("Execution attempt", category <c>Polly</c>) of Poppy's
    /// vendor clients at Debug when the attempt is not a handled failure: one line per HTTP attempt at Information
    /// outnumbered Poppy's own logs. An attempt the retry strategy handles (it will be retried) keeps its Warning, and
    /// a call that fails is logged by the provider itself. Other pipelines of the application are left as they are.
    /// </summary>
    private sealed class QuietAttemptTelemetry : IConfigureOptions<TelemetryOptions>
    {
        private const string ExecutionAttempt = "ExecutionAttempt";

        public void Configure(TelemetryOptions options)
        {
            var previous = options.SeverityProvider;
            options.SeverityProvider = args => IsQuiet(args) ? ResilienceEventSeverity.Debug : previous?.Invoke(args) ?? args.Event.Severity;
        }

        private static bool IsQuiet(SeverityProviderArguments args) =>
            args.Event.EventName == ExecutionAttempt
            && args.Event.Severity == ResilienceEventSeverity.Information
            && args.Source.PipelineName is { } pipeline
            && pipeline.StartsWith("Poppy.", StringComparison.Ordinal);
    }

    private sealed class DelegateValidator<TOptions>(Func<TOptions, IReadOnlyList<string>> validate) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var problems = validate(options);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
