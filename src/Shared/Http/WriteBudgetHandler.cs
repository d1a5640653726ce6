using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Poppy.Sdk.Internal;

/// <summary>
/// Paces the vendor requests an account's API rate limit counts (see ADR 0012): before sending a counted request it
/// takes one token from the account's write budget (<see cref="RateBudget.ForWrite"/>, key
/// <c>&lt;provider name&gt;:write</c>) in the <see cref="IRateBudgetStore"/>, and when the budget is spent waits on the
/// <see cref="TimeProvider"/> for the store's hint, then asks again; cancelling the request stops the wait. Requests the
/// vendor does not count, and every request while the limit is null, pass straight through.
/// </summary>
/// <remarks>
/// It sits outside the resilience handler, so a wait for a token is not cut short by the per-attempt or total request
/// timeout; each request the provider makes takes one token, and a retried attempt (after a 5xx or a 429, which the
/// vendor's own limit and <c>Retry-After</c> already govern) takes none.
/// </remarks>
internal sealed class WriteBudgetHandler : DelegatingHandler
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);
    private readonly string _providerName;
    private readonly IRateBudgetStore _store;
    private readonly Func<WriteRateLimit?> _limit;
    private readonly Func<HttpRequestMessage, bool> _counts;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    // One reference, swapped whole: concurrent requests never see a limit paired with another limit's budget.
    private volatile Cached? _budget;

    /// <summary>Creates the handler.</summary>
    /// <param name="providerName">The provider's registered name (the budget key's account part).</param>
    /// <param name="store">Where the budget is kept (shared through Redis, or in the process).</param>
    /// <param name="limit">The account's current write pacing (read per request, so changed options apply); null when unpaced.</param>
    /// <param name="counts">Whether the vendor's limit counts a request.</param>
    /// <param name="timeProvider">The clock waits run on.</param>
    /// <param name="logger">Logs waits at Debug.</param>
    public WriteBudgetHandler(string providerName, IRateBudgetStore store, Func<WriteRateLimit?> limit, Func<HttpRequestMessage, bool> counts, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _providerName = providerName;
        _store = store;
        _limit = limit;
        _counts = counts;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_limit() is { } limit && _counts(request))
        {
            var budget = BudgetFor(limit);
            while (true)
            {
                var decision = await _store.TryAcquireAsync(budget, 1, cancellationToken).ConfigureAwait(false);
                if (decision.Acquired)
                {
                    break;
                }

                var wait = decision.RetryAfter < MinimumWait ? MinimumWait : decision.RetryAfter;
                VendorConnectionLog.WaitingForWriteBudget(_logger, _providerName, request.Method.Method, request.RequestUri?.AbsolutePath ?? "-", wait.TotalMilliseconds);
                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private RateBudget BudgetFor(WriteRateLimit limit)
    {
        var cached = _budget;
        if (cached is not null && cached.Limit == limit)
        {
            return cached.Budget;
        }

        var budget = RateBudget.ForWrite(_providerName, limit);
        _budget = new Cached(limit, budget);
        return budget;
    }

    private sealed record Cached(WriteRateLimit Limit, RateBudget Budget);
}
