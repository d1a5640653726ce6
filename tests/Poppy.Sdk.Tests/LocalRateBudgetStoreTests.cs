using Microsoft.Extensions.Time.Testing;

namespace Poppy.Sdk.Tests;

public sealed class LocalRateBudgetStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryAcquire_BudgetLoweredForTheSameKey_PacesAtTheNewLimitAndKeepsWhatWasSpent()
    {
        using var store = new LocalRateBudgetStore(_time);
        var high = new RateBudget("fastly:write", capacity: 10, tokensPerPeriod: 1, TimeSpan.FromSeconds(1));
        var low = new RateBudget("fastly:write", capacity: 3, tokensPerPeriod: 1, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 8; i++)
        {
            Assert.True(store.TryAcquire(high).Acquired);
        }

        // Two tokens were left: the lower budget starts with min(2, 3) and then refills once a minute.
        var afterReload = new[] { store.TryAcquire(low), store.TryAcquire(low), store.TryAcquire(low) };
        _time.Advance(TimeSpan.FromSeconds(59));
        var beforeTheMinute = store.TryAcquire(low);
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterTheMinute = new[] { store.TryAcquire(low), store.TryAcquire(low) };

        Assert.Equal([true, true, false], afterReload.Select(d => d.Acquired));
        Assert.Equal(TimeSpan.FromMinutes(1), afterReload[2].RetryAfter);
        Assert.False(beforeTheMinute.Acquired);
        Assert.Equal([true, false], afterTheMinute.Select(d => d.Acquired));
    }

    [Fact]
    public void TryAcquire_BudgetLoweredBelowTheTokensLeft_StartsAtTheNewCapacity()
    {
        using var store = new LocalRateBudgetStore(_time);
        Assert.True(store.TryAcquire(new RateBudget("cloudflare:write", 100, 10, TimeSpan.FromSeconds(1))).Acquired);

        var low = new RateBudget("cloudflare:write", capacity: 2, tokensPerPeriod: 1, TimeSpan.FromHours(1));
        var decisions = new[] { store.TryAcquire(low), store.TryAcquire(low), store.TryAcquire(low) };

        Assert.Equal([true, true, false], decisions.Select(d => d.Acquired));
    }

    [Fact]
    public void TryAcquire_BudgetRaised_RefillsAtTheNewRate()
    {
        using var store = new LocalRateBudgetStore(_time);
        var slow = new RateBudget("akamai:write", capacity: 1, tokensPerPeriod: 1, TimeSpan.FromHours(1));
        Assert.True(store.TryAcquire(slow).Acquired);
        Assert.False(store.TryAcquire(slow).Acquired);

        var fast = new RateBudget("akamai:write", capacity: 5, tokensPerPeriod: 5, TimeSpan.FromSeconds(1));
        var spent = store.TryAcquire(fast);
        _time.Advance(TimeSpan.FromSeconds(1));
        var refilled = 0;
        while (store.TryAcquire(fast).Acquired)
        {
            refilled++;
        }

        // The raised budget keeps the spent bucket (no free burst on reload) but refills every second.
        Assert.False(spent.Acquired);
        Assert.Equal(TimeSpan.FromSeconds(1), spent.RetryAfter);
        Assert.Equal(5, refilled);
    }

    [Fact]
    public void TryAcquire_SameBudget_KeepsItsBucket()
    {
        using var store = new LocalRateBudgetStore(_time);
        var budget = new RateBudget("fastly:purge", capacity: 2, tokensPerPeriod: 1, TimeSpan.FromSeconds(1));

        var decisions = new[] { store.TryAcquire(budget), store.TryAcquire(new RateBudget("fastly:purge", 2, 1, TimeSpan.FromSeconds(1))), store.TryAcquire(budget) };

        Assert.Equal([true, true, false], decisions.Select(d => d.Acquired));
    }

    [Fact]
    public async Task TryAcquire_ConcurrentCallersWithTwoBudgetsForOneKey_NeverGrantMoreThanTheLargerCapacity()
    {
        using var store = new LocalRateBudgetStore(_time);
        var a = new RateBudget("fastly:write", capacity: 20, tokensPerPeriod: 1, TimeSpan.FromHours(1));
        var b = new RateBudget("fastly:write", capacity: 10, tokensPerPeriod: 1, TimeSpan.FromHours(1));

        var granted = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Enumerable.Range(0, 50).Count(_ => store.TryAcquire(i % 2 == 0 ? a : b).Acquired))));

        // Each swap keeps the tokens left (capped), so the whole run never hands out more than the first full bucket.
        Assert.InRange(granted.Sum(), 10, 20);
    }
}
