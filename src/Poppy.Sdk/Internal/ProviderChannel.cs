using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Poppy.Sdk.Internal;

/// <summary>
/// One provider as the composite client calls it: a circuit breaker and a per-call timeout (the
/// cross-provider resilience layer — HTTP retries live in the provider's own HttpClient), telemetry,
/// and the purge token bucket of the vendor account.
/// </summary>
internal sealed class ProviderChannel : IDisposable
{
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RateLimiter? _purgeLimiter;

    public ProviderChannel(ICdnProvider provider, PoppyClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Provider = provider;
        Name = provider.Name;
        _timeProvider = timeProvider;
        _logger = logger;
        var breaker = options.CircuitBreaker;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "Poppy.Sdk." + provider.Name }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                StateProvider = _circuit,
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
            })
            .AddTimeout(options.ProviderCallTimeout)
            .Build();

        if (provider.Capabilities.PurgeRateLimit is { } rate)
        {
            _purgeLimiter = new TimeProviderTokenBucket(Math.Max(1, rate.Burst), Math.Max(1, rate.RequestsPerPeriod), rate.Period, timeProvider);
        }
    }

    public ICdnProvider Provider { get; }

    public string Name { get; }

    /// <summary>Whether calls are being refused without reaching the vendor.</summary>
    public bool IsCircuitOpen => _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>Whether an exception means "try again later / elsewhere".</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        CdnRequestFailedException rf => rf.IsTransient,
        BrokenCircuitException or TimeoutRejectedException or TimeoutException or HttpRequestException => true,
        CdnAllProvidersFailedException => true,
        _ => false,
    };

    /// <summary>Calls the provider through the circuit breaker and timeout, with telemetry.</summary>
    public async Task<T> InvokeAsync<T, TState>(
        string operation,
        string serviceId,
        Func<ICdnProvider, TState, CancellationToken, Task<T>> call,
        TState state,
        CancellationToken cancellationToken)
    {
        var start = _timeProvider.GetTimestamp();
        using var activity = PoppyTelemetry.ActivitySource.StartActivity("poppy.provider.call", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("poppy.provider", Name);
            activity.SetTag("poppy.operation", operation);
            activity.SetTag("poppy.service_id", serviceId);
        }

        try
        {
            var result = await _pipeline.ExecuteAsync(
                static (s, ct) => new ValueTask<T>(s.call(s.provider, s.state, ct)),
                (call, provider: Provider, state),
                cancellationToken).ConfigureAwait(false);
            Record(operation, "success", start, activity);
            Log.ProviderCallSucceeded(_logger, Name, operation, serviceId, _timeProvider.GetElapsedTime(start).TotalMilliseconds);
            return result;
        }
        catch (Exception ex)
        {
            var outcome = ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? "cancelled"
                : ex is BrokenCircuitException ? "circuit_open"
                : IsTransient(ex) ? "transient_error" : "error";
            Record(operation, outcome, start, activity);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            if (outcome != "cancelled")
            {
                Log.ProviderCallFailed(_logger, Name, operation, serviceId, ProviderError.FromException(ex).Code, ex.Message);
            }

            throw;
        }
    }

    /// <summary>Calls the provider directly (no circuit breaker) but with the timeout: used for clean-up checks that must not be skipped.</summary>
    public async Task<T> InvokeBypassingCircuitAsync<T>(string operation, string serviceId, Func<ICdnProvider, CancellationToken, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = _timeProvider.GetTimestamp();
        using var cts = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, cancellationToken);
        try
        {
            var result = await call(Provider, linked.Token).ConfigureAwait(false);
            Record(operation, "success", start, null);
            return result;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Record(operation, "transient_error", start, null);
            throw new TimeoutException($"{operation} on '{Name}' did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex)
        {
            Record(operation, IsTransient(ex) ? "transient_error" : "error", start, null);
            throw;
        }
    }

    /// <summary>Waits for a purge token of this vendor account (no-op when the vendor is unpaced).</summary>
    public async ValueTask<RateLimitLease?> AcquirePurgePermitAsync(CancellationToken cancellationToken)
    {
        if (_purgeLimiter is null)
        {
            return null;
        }

        var lease = await _purgeLimiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException($"The purge rate limiter of '{Name}' refused a permit.");
        }

        return lease;
    }

    public void Dispose()
    {
        _purgeLimiter?.Dispose();
    }

    private void Record(string operation, string outcome, long start, Activity? activity)
    {
        var tags = new TagList
        {
            { "poppy.provider", Name },
            { "poppy.operation", operation },
            { "poppy.outcome", outcome },
        };
        PoppyTelemetry.ProviderCalls.Add(1, tags);
        if (PoppyTelemetry.ProviderCallDuration.Enabled)
        {
            PoppyTelemetry.ProviderCallDuration.Record(_timeProvider.GetElapsedTime(start).TotalSeconds, tags);
        }

        activity?.SetTag("poppy.outcome", outcome);
    }
}
