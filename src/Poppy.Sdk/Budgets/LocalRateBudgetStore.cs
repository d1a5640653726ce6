using System.Collections.Concurrent;
using Poppy.Sdk.Internal;

namespace Poppy.Sdk;

/// <summary>
/// Rate budgets kept in this process: one token bucket per key, replenished on the injected <see cref="TimeProvider"/>
/// (so tests can drive it with a fake clock). The composite client's default. A key asked for with another capacity,
/// rate or period than its bucket has (reloaded options) gets a new bucket with those, which keeps the tokens already
/// spent: it starts with the old bucket's tokens, at most the new capacity.
/// </summary>
public sealed class LocalRateBudgetStore : IRateBudgetStore, IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private bool _disposed;

    /// <summary>Creates the store.</summary>
    /// <param name="timeProvider">The clock the buckets are replenished on; the system clock when null.</param>
    public LocalRateBudgetStore(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    /// <remarks>A key follows the capacity, rate and period of the latest budget asked for (see the class remarks).</remarks>
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
        var entry = _buckets.GetOrAdd(budget.Key, static _ => new Entry());
        lock (entry)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var bucket = entry.Bucket;
            if (bucket is null || bucket.TokenLimit != budget.Capacity || bucket.TokensPerPeriod != budget.TokensPerPeriod || bucket.Period != budget.Period)
            {
                var next = new TimeProviderTokenBucket(budget.Capacity, budget.TokensPerPeriod, budget.Period, _timeProvider, bucket?.AvailableTokens);
                bucket?.Dispose();
                entry.Bucket = bucket = next;
            }

            using var lease = bucket.AttemptAcquire(tokens);
            return lease.IsAcquired ? RateBudgetDecision.Granted : new RateBudgetDecision(false, bucket.Period);
        }
    }

    /// <summary>Stops the buckets' timers.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var entry in _buckets.Values)
        {
            lock (entry)
            {
                entry.Bucket?.Dispose();
                entry.Bucket = null;
            }
        }

        _buckets.Clear();
    }

    /// <summary>A key's bucket, replaced under the entry's lock when the key's budget changes.</summary>
    private sealed class Entry
    {
        public TimeProviderTokenBucket? Bucket { get; set; }
    }
}
