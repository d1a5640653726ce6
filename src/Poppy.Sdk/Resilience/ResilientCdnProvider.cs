using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Models;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Poppy.Sdk.Resilience;

/// <summary>
/// The composite client's layer around one registered provider: a circuit breaker and a per-call timeout
/// (the cross-provider resilience layer — HTTP retries live in the provider's own HttpClient), tracing,
/// metrics and logs. Every path passes it by construction: calls, polls of the operations it returns
/// (wrapped in <see cref="ResilientOperation{T}"/>), resumes, and each page of a listing. Failures leave it
/// in the SDK's vocabulary only: an open circuit is a transient <see cref="CdnErrorCode.ServiceUnavailable"/>
/// error, a call timeout a transient <see cref="CdnErrorCode.Timeout"/> error.
/// </summary>
internal sealed class ResilientCdnProvider : DelegatingCdnProvider, ICdnOperationWrapper, IDisposable
{
    private readonly ResiliencePipeline _pipeline;

    // One reset CancellationTokenSource kept for the call timeout on the system clock (TryReset keeps its timer and
    // registration nodes), as Polly's timeout strategy pooled its own; shared by this layer's calls whatever thread they end on.
    private CancellationTokenSource? _spareTimeoutSource;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IRateBudgetStore _budgets;
    private readonly RateBudget? _purgeBudget;
    private readonly TimeSpan _callTimeout;

    // When the circuit last opened, until when it refuses calls (UTC ticks on _timeProvider; 0 = never opened).
    private long _refusesUntilTicks;

    public ResilientCdnProvider(ICdnProvider provider, PoppyClientOptions options, TimeProvider timeProvider, ILogger logger, IRateBudgetStore budgets)
        : base(provider)
    {
        ProviderName = provider.Name;
        _timeProvider = timeProvider;
        _logger = logger;
        _callTimeout = options.ProviderCallTimeout;

        // The call timeout is applied by CallWithTimeoutAsync; Polly's timeout options still validate it (10 ms to 24 h),
        // so an out-of-range value fails here, at construction, as it did when the pipeline held the timeout strategy.
        _ = new ResiliencePipelineBuilder().AddTimeout(_callTimeout);
        var breaker = options.CircuitBreaker;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "Poppy.Sdk." + provider.Name }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                StateProvider = _circuit,
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                // A vendor's "not now" (rate or in-flight limits: CdnRateLimitedException) is flow control from a vendor
                // that answers, not a sign it is down: the purge operation queues the batch on the vendor's hint. Counting it
                // would open the circuit during any large purge (CloudFront refuses each retry while an invalidation is in
                // flight) and then refuse every call to the provider, purges included, for BreakDuration.
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e and not CdnRateLimitedException && IsTransient(e)),
                OnOpened = args =>
                {
                    Volatile.Write(ref _refusesUntilTicks, (timeProvider.GetUtcNow() + args.BreakDuration).UtcTicks);
                    return default;
                },
            })
            .Build();

        _budgets = budgets;
        if (provider.Capabilities.PurgeRateLimit is { } rate)
        {
            _purgeBudget = RateBudget.ForPurge(provider.Name, rate);
        }
    }

    /// <summary>The wrapped provider's name (cached: it is read on every call).</summary>
    public string ProviderName { get; }

    /// <summary>The provider this layer wraps.</summary>
    public ICdnProvider Inner => InnerProvider;

    /// <summary>Whether calls are being refused without reaching the vendor.</summary>
    public bool IsCircuitOpen => _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>
    /// Whether a call now would be refused without reaching the vendor: the circuit is open and its break duration
    /// has not passed (once it has, the next call is let through as the trial that may close it), or it is isolated.
    /// </summary>
    public bool RefusesCalls => _circuit.CircuitState switch
    {
        CircuitState.Isolated => true,
        CircuitState.Open => _timeProvider.GetUtcNow().UtcTicks < Volatile.Read(ref _refusesUntilTicks),
        _ => false,
    };

    /// <inheritdoc />
    public override string Name => ProviderName;

    /// <inheritdoc />
    public override Task VerifyAccessAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("verify", "-", static async (p, _, ct) =>
        {
            await p.VerifyAccessAsync(ct).ConfigureAwait(false);
            return true;
        }, 0, cancellationToken);

    /// <summary>Whether an exception means "try again later / elsewhere".</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>True when transient.</returns>
    public static bool IsTransient(Exception exception) => exception switch
    {
        CdnRequestFailedException rf => rf.IsTransient,
        BrokenCircuitException or TimeoutRejectedException or TimeoutException or HttpRequestException => true,
        CdnAllProvidersFailedException all => all.Attempts.Any(a => IsTransient(a.Exception)),
        _ => false,
    };

    /// <inheritdoc />
    public override Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default) =>
        InvokeTypedAsync("create", serviceId, static (p, s, ct) => p.CreateServiceAsync(s.serviceId, s.spec, ct), (serviceId, spec), cancellationToken);

    /// <inheritdoc />
    public override Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default) =>
        InvokeTypedAsync("update", service.ServiceId, static (p, s, ct) => p.UpdateServiceAsync(s.service, s.spec, ct), (service, spec), cancellationToken);

    /// <inheritdoc />
    public override async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        var op = await InvokeAsync("delete", service.ServiceId, static (p, s, ct) => p.DeleteServiceAsync(s, ct), service, cancellationToken).ConfigureAwait(false);
        return op.WrapWith(this);
    }

    /// <inheritdoc />
    public override Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default) =>
        InvokeAsync("get", service.ServiceId, static (p, s, ct) => p.GetServiceAsync(s, ct), service, cancellationToken);

    /// <inheritdoc />
    public override async Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken = default) =>
        WrapCompletion(await InvokePurgeAsync(service, request, cancellationToken).ConfigureAwait(false));

    /// <summary>The purge call through this layer, its completion not yet wrapped (see <see cref="WrapCompletion"/>; the purge queue calls <see cref="InvokeAsync{T, TState}"/> with its slot as the state).</summary>
    /// <param name="service">The service.</param>
    /// <param name="request">One batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The provider's result.</returns>
    internal Task<PurgeResult> InvokePurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken) =>
        InvokeAsync("purge", service.ServiceId, static (p, s, ct) => p.PurgeAsync(s.service, s.request, ct), (service, request), cancellationToken);

    /// <summary>Wraps a purge result's pending completion so its polls pass this layer.</summary>
    /// <param name="result">The provider's result.</param>
    /// <returns>The result, its completion wrapped.</returns>
    internal PurgeResult WrapCompletion(PurgeResult result) =>
        result.Completion is { HasCompleted: false } completion ? result with { Completion = completion.WrapWith(this) } : result;

    /// <inheritdoc />
    public override async Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        var op = await InvokeAsync("resume", "-", static (p, s, ct) => p.ResumeOperationAsync(s, ct), operationId, cancellationToken).ConfigureAwait(false);
        return op.WrapWith(this);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ProviderService> ListServicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Each page the provider fetches happens inside MoveNextAsync: every step passes the breaker and timeout.
        var enumerator = InnerProvider.ListServicesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (await InvokeAsync("list", "-", static (_, e, _) => e.MoveNextAsync().AsTask(), enumerator, cancellationToken).ConfigureAwait(false))
            {
                yield return enumerator.Current;
            }
        }
    }

    /// <summary>Wraps an operation this provider returned, so its polls pass this layer.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation.</param>
    /// <returns>The wrapped operation.</returns>
    public CdnOperation<T> Wrap<T>(CdnOperation<T> operation) =>
        operation is ResilientOperation<T> || operation.HasCompleted ? operation : new ResilientOperation<T>(operation, this, _timeProvider);

    /// <summary>Takes a purge token of this vendor account's budget (shared by every client using the same store) without waiting.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a token was taken (always, for unpaced vendors), and otherwise when to try again.</returns>
    public ValueTask<RateBudgetDecision> TryTakePurgeTokenAsync(CancellationToken cancellationToken) =>
        _purgeBudget is null ? ValueTask.FromResult(RateBudgetDecision.Granted) : _budgets.TryAcquireAsync(_purgeBudget, 1, cancellationToken);

    /// <summary>Calls the provider through the circuit breaker and timeout, with telemetry; failures leave in the SDK's vocabulary.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <typeparam name="TState">The state passed to the call.</typeparam>
    /// <param name="operation">The operation's name, for telemetry.</param>
    /// <param name="serviceId">The service, for telemetry.</param>
    /// <param name="call">The call.</param>
    /// <param name="state">Its state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
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
            activity.SetTag("poppy.provider", ProviderName);
            activity.SetTag("poppy.operation", operation);
            activity.SetTag("poppy.service_id", serviceId);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            // The outcome API with an object result: the same breaker as ExecuteAsync, without Polly's exception
            // wrapper and without the bridge that converts each T to the non-generic pipeline's object (≈ 400 B per call).
            // The call timeout runs inside the breaker's callback (CallWithTimeoutAsync) rather than as Polly's timeout
            // strategy: same semantics, one state machine and Polly's per-call timeout bookkeeping less.
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static (context, s) => s.layer.CallWithTimeoutAsync(context, s.call, s.state),
                context,
                (layer: this, call, state)).ConfigureAwait(false);
            outcome.ThrowIfException();
            var result = (T)outcome.Result!;
            Record(operation, "success", start, activity);
            Log.ProviderCallSucceeded(_logger, ProviderName, operation, serviceId, _timeProvider.GetElapsedTime(start).TotalMilliseconds);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var mapped = Map(ex);
            var outcome = ex is BrokenCircuitException ? "circuit_open" : IsTransient(mapped) ? "transient_error" : "error";
            Record(operation, outcome, start, activity);
            activity?.SetStatus(ActivityStatusCode.Error, mapped.GetType().Name);
            Log.ProviderCallFailed(_logger, ProviderName, operation, serviceId, ProviderError.FromException(mapped).Code, SecretScrubber.WithoutSecrets.Scrub(mapped.Message));
            if (ReferenceEquals(mapped, ex))
            {
                throw;
            }

            throw mapped;
        }
        catch (OperationCanceledException)
        {
            Record(operation, "cancelled", start, activity);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One provider call under the per-call timeout (what Polly's timeout strategy did, inside the breaker): the call
    /// sees a token that is cancelled after <see cref="PoppyClientOptions.ProviderCallTimeout"/> on the injected
    /// <see cref="TimeProvider"/> or when the caller's token is; a cancellation caused by the timeout alone becomes a
    /// <see cref="TimeoutRejectedException"/> (the breaker counts it; <see cref="Map"/> makes it the transient
    /// <see cref="CdnErrorCode.Timeout"/> error), the caller's own cancellation stays an <see cref="OperationCanceledException"/>.
    /// </summary>
    private async ValueTask<Outcome<object?>> CallWithTimeoutAsync<T, TState>(
        ResilienceContext context,
        Func<ICdnProvider, TState, CancellationToken, Task<T>> call,
        TState state)
    {
        var callerToken = context.CancellationToken;
        var timeout = RentTimeoutSource();
        var link = callerToken.CanBeCanceled
            ? callerToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout)
            : default;
        try
        {
            return Outcome.FromResult<object?>(await call(InnerProvider, state, timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            return Outcome.FromException<object?>(
                new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{_callTimeout}'.", _callTimeout, ex));
        }
        catch (Exception ex)
        {
            return Outcome.FromException<object?>(ex);
        }
        finally
        {
            link.Dispose();
            ReturnTimeoutSource(timeout);
        }
    }

    /// <summary>A token source that cancels after the call timeout on this layer's clock.</summary>
    private CancellationTokenSource RentTimeoutSource()
    {
        if (_timeProvider != TimeProvider.System)
        {
            return new CancellationTokenSource(_callTimeout, _timeProvider);
        }

        var source = Interlocked.Exchange(ref _spareTimeoutSource, null) ?? new CancellationTokenSource();
        source.CancelAfter(_callTimeout);
        return source;
    }

    /// <summary>Keeps a system-clock source for the next call if it can be reset (not cancelled), else disposes it.</summary>
    private void ReturnTimeoutSource(CancellationTokenSource source)
    {
        if (_timeProvider != TimeProvider.System || !source.TryReset() || Interlocked.CompareExchange(ref _spareTimeoutSource, source, null) is not null)
        {
            source.Dispose();
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _spareTimeoutSource, null)?.Dispose();
    }

    private Task<CdnOperation<ProviderServiceDetails>> InvokeTypedAsync<TState>(
        string operation,
        string serviceId,
        Func<ICdnProvider, TState, CancellationToken, Task<CdnOperation<ProviderServiceDetails>>> call,
        TState state,
        CancellationToken cancellationToken) =>
        WrapAsync(InvokeAsync(operation, serviceId, call, state, cancellationToken));

    private async Task<CdnOperation<ProviderServiceDetails>> WrapAsync(Task<CdnOperation<ProviderServiceDetails>> call) => Wrap(await call.ConfigureAwait(false));

    /// <summary>
    /// Puts Polly's and the runtime's failures into the SDK's vocabulary. A foreign exception's text is quoted only after
    /// <see cref="SecretScrubber.WithoutSecrets"/> (the composite knows no credential values; providers scrub those).
    /// </summary>
    private Exception Map(Exception exception) => exception switch
    {
        BrokenCircuitException open => new CdnRequestFailedException(
            ProviderName, $"The circuit for provider '{ProviderName}' is open after repeated failures; calls are refused until it closes.", null, CdnErrorCode.ServiceUnavailable, isTransient: true, innerException: open),
        TimeoutRejectedException timeout => new CdnRequestFailedException(
            ProviderName, $"Provider '{ProviderName}' did not answer within {_callTimeout.TotalSeconds:0.#} s.", null, CdnErrorCode.Timeout, isTransient: true, innerException: timeout),
        CdnException => exception,
        TimeoutException or OperationCanceledException => new CdnRequestFailedException(
            ProviderName, $"Provider '{ProviderName}' timed out: {SecretScrubber.WithoutSecrets.Scrub(exception.Message)}", null, CdnErrorCode.Timeout, isTransient: true, innerException: exception),
        HttpRequestException => new CdnRequestFailedException(
            ProviderName, $"Provider '{ProviderName}' could not be reached: {SecretScrubber.WithoutSecrets.Scrub(exception.Message)}", null, CdnErrorCode.NetworkError, isTransient: true, innerException: exception),
        _ => new CdnRequestFailedException(
            ProviderName, $"Provider '{ProviderName}' failed unexpectedly ({exception.GetType().Name}): {SecretScrubber.WithoutSecrets.Scrub(exception.Message)}", null, CdnErrorCode.Unknown, isTransient: false, innerException: exception),
    };

    private void Record(string operation, string outcome, long start, Activity? activity)
    {
        var tags = new TagList
        {
            { "poppy.provider", ProviderName },
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
