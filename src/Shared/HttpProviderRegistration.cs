using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Poppy.Sdk.Internal;

/// <summary>
/// The registration every HTTP vendor provider shares (compiled into each vendor package): named options
/// validated on start, a named <see cref="HttpClient"/> without the factory's loggers and with the standard
/// resilience handler (vendor-specific retry rule, no per-attempt circuit breaker), and the keyed provider.
/// </summary>
internal static class HttpProviderRegistration
{
    /// <summary>Registers one provider account; a second call with the same name keeps the first.</summary>
    /// <typeparam name="TOptions">The provider's options.</typeparam>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="httpClientName">The named client's name.</param>
    /// <param name="configure">Binds or sets the options.</param>
    /// <param name="setName">Stores the provider name in the options.</param>
    /// <param name="validate">The options' problems, in words.</param>
    /// <param name="shouldRetry">Which failed attempts the resilience handler repeats.</param>
    /// <param name="authHandler">A handler that authenticates each request, when the vendor's auth is a header; null when the provider signs itself.</param>
    /// <param name="create">Builds the provider.</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IPoppyBuilder builder,
        string name,
        string httpClientName,
        Action<OptionsBuilder<TOptions>> configure,
        Action<TOptions, string> setName,
        Func<TOptions, IReadOnlyList<string>> validate,
        Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> shouldRetry,
        Func<IServiceProvider, DelegatingHandler>? authHandler,
        Func<IServiceProvider, HttpClient, TOptions, ICdnProvider> create)
        where TOptions : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(CdnProviderRegistration) && d.ImplementationInstance is CdnProviderRegistration r && r.Name == name))
        {
            return builder;
        }

        var options = services.AddOptions<TOptions>(name);
        configure(options);
        options.PostConfigure(o => setName(o, name)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new DelegateValidator<TOptions>(validate)));
        services.TryAddSingleton(TimeProvider.System);
        var client = services.AddHttpClient(httpClientName)
            // The factory's default request logging puts header values (tokens, signatures) in the structured
            // log state even when the message redacts them; providers log their calls themselves, without headers.
            .RemoveAllLoggers();
        if (authHandler is not null)
        {
            client.AddHttpMessageHandler(authHandler);
        }

        client.AddStandardResilienceHandler(resilience =>
        {
            resilience.Retry.ShouldHandle = shouldRetry;
            // Circuit breaking lives in the composite client (one breaker per provider), not per HTTP attempt.
            resilience.CircuitBreaker.ShouldHandle = static _ => PredicateResult.False();
        });
        return builder.AddProvider(name, sp => create(
            sp,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName),
            sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)));
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
