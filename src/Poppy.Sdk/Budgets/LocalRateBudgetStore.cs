using System.Collections.Concurrent;
using Poppy.Sdk.Internal;

namespace Poppy.Sdk;

/// <summary>
/// Rate budgets kept in this process: one token bucket per key, replenished on the injected <see cref="TimeProvider"/>
/// (so tests can drive it with a fake clock). The composite client's default.
/// </summary>
public sealed class LocalRateBudgetStore : IRateBudgetStore, IDisposable
{
    private readonly ConcurrentDictionary<string, TimeProviderTokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private bool _disposed;

    /// <summary>Creates the store.</summary>
    /// <param name="timeProvider">The clock the buckets are replenished on; the system clock when null.</param>
    public LocalRateBudgetStore(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    /// <remarks>A key keeps the capacity and rate it was first used with.</remarks>
    public ValueTask<RateBudgetDecision> TryAcquireAsync(RateBudget budget, int tokens = 1, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TryAcquire(budget, tokens));

    /// <summary>Takes tokens from a budget without waiting (the synchronous form of <see cref="TryAcquireAsync"/>).</summary>
    /// <param name="budget">The budget (created full on first use).</param>
    /// <param name="tokens">How many tokens.</param>
    /// <returns>Whether they were taken, and otherwise when to try again.</returns>
    public RateBudgetDecision TryAcquire(RateBudget budget, int tokens = 1)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tokens, budget.Capacity);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bucket = _buckets.GetOrAdd(budget.Key, static (_, state) => new TimeProviderTokenBucket(state.budget.Capacity, state.budget.TokensPerPeriod, state.budget.Period, state.time), (budget, time: _timeProvider));
        using var lease = bucket.AttemptAcquire(tokens);
        return lease.IsAcquired ? RateBudgetDecision.Granted : new RateBudgetDecision(false, bucket.Period);
    }

    /// <summary>Stops the buckets' timers.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }

        _buckets.Clear();
    }
}
