using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.TestSupport;
using StackExchange.Redis;

namespace Poppy.Sdk.Redis.Tests;

public sealed class RedisRateBudgetStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    private RedisRateBudgetStore NewStore(RedisServer? server = null, RedisUnavailableBehavior whenUnavailable = RedisUnavailableBehavior.FallBackToLocal, ILogger<RedisRateBudgetStore>? logger = null) =>
        new(new RedisRateBudgetOptions
        {
            Configuration = (server ?? redis.Server).Configuration,
            KeyPrefix = "test:" + Guid.NewGuid().ToString("N") + ":",
            UseServerClock = false,
            WhenUnavailable = whenUnavailable,
        }, _time, logger);

    private static RedisRateBudgetStore Sharing(RedisRateBudgetStore first, RedisServer server, TimeProvider time, string prefix) =>
        new(new RedisRateBudgetOptions { Configuration = server.Configuration, KeyPrefix = prefix, UseServerClock = false }, time);

    [Fact]
    public async Task TryAcquireAsync_TwoInstances_DrawFromOneBucket()
    {
        const string prefix = "test:shared-bucket:";
        await using var first = new RedisRateBudgetStore(new RedisRateBudgetOptions { Configuration = redis.Server.Configuration, KeyPrefix = prefix, UseServerClock = false }, _time);
        await using var second = Sharing(first, redis.Server, _time, prefix);
        var budget = new RateBudget("fastly:purge", capacity: 5, tokensPerPeriod: 5, TimeSpan.FromSeconds(1));

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await first.TryAcquireAsync(budget)).Acquired);
        }

        Assert.True((await second.TryAcquireAsync(budget, 2)).Acquired);
        var refused = await second.TryAcquireAsync(budget);
        var refusedToo = await first.TryAcquireAsync(budget);

        Assert.False(refused.Acquired);
        Assert.False(refusedToo.Acquired);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
    }

    [Fact]
    public async Task TryAcquireAsync_ReplenishesPerWholePeriodUpToCapacity()
    {
        await using var store = NewStore();
        var budget = new RateBudget("cloudfront:purge", capacity: 4, tokensPerPeriod: 2, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await store.TryAcquireAsync(budget)).Acquired);
        }

        _time.Advance(TimeSpan.FromSeconds(6));
        var early = await store.TryAcquireAsync(budget);
        _time.Advance(TimeSpan.FromSeconds(4));
        var afterOnePeriod = new[] { await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget) };
        _time.Advance(TimeSpan.FromMinutes(5));
        var afterLongIdle = 0;
        while ((await store.TryAcquireAsync(budget)).Acquired)
        {
            afterLongIdle++;
        }

        Assert.False(early.Acquired);
        Assert.Equal(TimeSpan.FromSeconds(4), early.RetryAfter);
        Assert.Equal([true, true, false], afterOnePeriod.Select(d => d.Acquired));
        Assert.Equal(4, afterLongIdle);
    }

    [Fact]
    public async Task TryAcquireAsync_BudgetLoweredForTheSameKey_KeepsAtMostTheNewCapacity()
    {
        await using var store = NewStore();
        Assert.True((await store.TryAcquireAsync(new RateBudget("fastly:write", 10, 1, TimeSpan.FromMinutes(1)))).Acquired);

        var low = new RateBudget("fastly:write", capacity: 3, tokensPerPeriod: 1, TimeSpan.FromMinutes(1));
        var decisions = new[] { await store.TryAcquireAsync(low), await store.TryAcquireAsync(low), await store.TryAcquireAsync(low), await store.TryAcquireAsync(low) };

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Acquired));
    }

    [Fact]
    public async Task TryAcquireAsync_FourInstancesGreedyInLockstep_NeverExceedTheRateAndUseAtLeast90Percent()
    {
        const string prefix = "test:four-instances:";
        var budget = new RateBudget("akamai:purge", capacity: 10, tokensPerPeriod: 10, TimeSpan.FromSeconds(1));
        var stores = new List<RedisRateBudgetStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(new RedisRateBudgetStore(new RedisRateBudgetOptions { Configuration = redis.Server.Configuration, KeyPrefix = prefix, UseServerClock = false }, _time));
        }

        var start = _time.GetUtcNow();
        var grants = new List<TimeSpan>();
        const int Seconds = 20;
        try
        {
            // Every 50 ms each instance takes all it can, concurrently.
            for (var tick = 0; tick < Seconds * 20; tick++)
            {
                var taken = await Task.WhenAll(stores.Select(async store =>
                {
                    var n = 0;
                    while (n < 50 && (await store.TryAcquireAsync(budget)).Acquired)
                    {
                        n++;
                    }

                    return n;
                }));
                grants.AddRange(Enumerable.Repeat(_time.GetUtcNow() - start, taken.Sum()));
                _time.Advance(TimeSpan.FromMilliseconds(50));
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        // A bucket of capacity C and rate R per period allows at most C + R·k grants in any k periods.
        for (var from = 0; from < Seconds; from++)
        {
            for (var length = 1; from + length <= Seconds; length++)
            {
                var inWindow = grants.Count(g => g >= TimeSpan.FromSeconds(from) && g < TimeSpan.FromSeconds(from + length));
                Assert.True(inWindow <= budget.Capacity + (budget.TokensPerPeriod * (length - 1)) + budget.TokensPerPeriod, $"{inWindow} grants in [{from} s, {from + length} s)");
            }
        }

        var allowed = budget.Capacity + (budget.TokensPerPeriod * (Seconds - 1));
        Assert.InRange(grants.Count, (int)Math.Ceiling(allowed * 0.9), allowed);
    }

    [Fact]
    public async Task TryAcquireAsync_RedisStopped_FallsBackToLocalBuckets_LogsOnceAndCounts_ThenSharesAgain()
    {
        await using var server = await RedisServer.StartAsync();
        var logs = new FakeLogger<RedisRateBudgetStore>();
        using var fallbacks = new MetricCollector<long>(null, "Poppy.Sdk", "poppy.rate_budget.fallbacks");
        await using var store = NewStore(server, logger: logs);
        var budget = new RateBudget("fallback-test:purge", capacity: 3, tokensPerPeriod: 3, TimeSpan.FromSeconds(1));
        Assert.True((await store.TryAcquireAsync(budget)).Acquired);

        await server.StopAsync();
        var during = new[] { await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget) };

        // The local bucket is full at first: three granted, the fourth refused — pacing goes on, per instance.
        Assert.Equal([true, true, true, false], during.Select(d => d.Acquired));
        Assert.True(store.IsUsingFallback);
        var warning = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("pacing with local buckets", warning.Message, StringComparison.Ordinal);
        Assert.Equal(4, fallbacks.GetMeasurementSnapshot().Where(m => Equals(m.Tags["poppy.budget"], budget.Key)).Sum(m => m.Value)); // this test's budget only: other test classes run alongside
        Assert.All(fallbacks.GetMeasurementSnapshot().Where(m => Equals(m.Tags["poppy.budget"], budget.Key)), m => Assert.Equal("local", m.Tags["poppy.fallback"]));

        await server.RestartAsync();
        await WaitUntilSharedAgainAsync(store, budget);

        Assert.False(store.IsUsingFallback);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("shared again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryAcquireAsync_RedisStoppedWithAPlainConfiguration_AnswersAtOnceThenLeavesRedisAloneForTheBackoff()
    {
        await using var server = await RedisServer.StartAsync();
        var logs = new FakeLogger<RedisRateBudgetStore>();
        using var fallbacks = new MetricCollector<long>(null, "Poppy.Sdk", "poppy.rate_budget.fallbacks");
        // What a user writes, with a long async timeout: before the fix a call waited for it while Redis was down, so
        // the bound below is far from both sides (30 s without FailFast, milliseconds with it), even on a loaded machine.
        await using var store = new RedisRateBudgetStore(
            new RedisRateBudgetOptions { Configuration = server.PlainConfiguration + ",asyncTimeout=30000", KeyPrefix = "test:" + Guid.NewGuid().ToString("N") + ":", UseServerClock = false },
            _time,
            logs);
        var budget = new RateBudget("plain-configuration-test:purge", capacity: 3, tokensPerPeriod: 3, TimeSpan.FromSeconds(1));
        Assert.True((await store.TryAcquireAsync(budget)).Acquired);
        Assert.Equal(1, store.RedisAttempts);

        await server.StopAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = await store.TryAcquireAsync(budget);
        var firstTook = clock.Elapsed;
        var inTheBackoff = new[] { await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget) };

        // The failed call is answered locally without waiting for a reconnection (or for the 30-s timeout).
        Assert.True(firstTook < TimeSpan.FromSeconds(15), $"The first call after Redis stopped took {firstTook}.");
        Assert.True(first.Acquired);
        Assert.Equal([true, true, false], inTheBackoff.Select(d => d.Acquired));
        Assert.Equal(2, store.RedisAttempts);
        Assert.Equal(4, fallbacks.GetMeasurementSnapshot().Where(m => Equals(m.Tags["poppy.budget"], budget.Key)).Sum(m => m.Value)); // this test's budget only: other test classes run alongside
        Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);

        // Back, but the back-off is not over: still local, Redis not asked.
        await server.RestartAsync();
        Assert.False((await store.TryAcquireAsync(budget)).Acquired);
        Assert.Equal(2, store.RedisAttempts);
        Assert.True(store.IsUsingFallback);

        _time.Advance(new RedisRateBudgetOptions().UnavailableBackoff);
        await WaitUntilSharedAgainAsync(store, budget);

        // The restarted Redis is empty: a full shared bucket again.
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("shared again", StringComparison.Ordinal));
        Assert.True(store.RedisAttempts > 2);
    }

    [Fact]
    public async Task TryAcquireAsync_ConcurrentFirstCalls_OpenOneConnection_AndDisposeClosesIt()
    {
        var opened = new List<IConnectionMultiplexer>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new RedisRateBudgetStore(
            new RedisRateBudgetOptions { KeyPrefix = "test:" + Guid.NewGuid().ToString("N") + ":", UseServerClock = false },
            async () =>
            {
                var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
                lock (opened)
                {
                    opened.Add(connection);
                }

                await release.Task;
                return connection;
            },
            _time);
        var budget = new RateBudget("fastly:purge", capacity: 16, tokensPerPeriod: 16, TimeSpan.FromSeconds(1));

        // Each Task.Run ends once its call has returned a pending task (it awaits the connection), so all 16 wait on it together.
        var calls = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Task.FromResult(store.TryAcquireAsync(budget).AsTask()))));
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        release.SetResult();
        var decisions = await Task.WhenAll(calls);
        var connection = Assert.Single(opened);
        await store.DisposeAsync();

        Assert.All(decisions, d => Assert.True(d.Acquired));
        Assert.False(store.IsUsingFallback);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task TryAcquireAsync_ConnectingFailed_AnswersLocallyThenConnectsAgainAfterTheBackoff()
    {
        var attempts = 0;
        await using var store = new RedisRateBudgetStore(
            new RedisRateBudgetOptions { KeyPrefix = "test:" + Guid.NewGuid().ToString("N") + ":", UseServerClock = false, UnavailableBackoff = TimeSpan.FromSeconds(3) },
            async () => Interlocked.Increment(ref attempts) == 1
                ? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "refused")
                : await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration),
            _time);
        var budget = new RateBudget("fastly:purge", capacity: 5, tokensPerPeriod: 5, TimeSpan.FromSeconds(1));

        var failed = await store.TryAcquireAsync(budget);
        var wasFallback = store.IsUsingFallback;
        _time.Advance(TimeSpan.FromSeconds(2));
        var inTheBackoff = await store.TryAcquireAsync(budget);
        var attemptsInTheBackoff = Volatile.Read(ref attempts);
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterTheBackoff = await store.TryAcquireAsync(budget);

        Assert.True(failed.Acquired);
        Assert.True(wasFallback);
        Assert.True(inTheBackoff.Acquired);
        Assert.Equal(1, attemptsInTheBackoff);
        Assert.True(afterTheBackoff.Acquired);
        Assert.Equal(2, Volatile.Read(ref attempts));
        Assert.False(store.IsUsingFallback);
    }

    [Fact]
    public async Task DisposeAsync_GivenConnection_IsLeftOpen()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var store = new RedisRateBudgetStore(new RedisRateBudgetOptions { KeyPrefix = "test:" + Guid.NewGuid().ToString("N") + ":", UseServerClock = false }, connection, _time);
        Assert.True((await store.TryAcquireAsync(new RateBudget("fastly:purge", 1, 1, TimeSpan.FromSeconds(1)))).Acquired);

        await store.DisposeAsync();

        Assert.True(connection.IsConnected);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.TryAcquireAsync(new RateBudget("fastly:purge", 1, 1, TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public async Task TryAcquireAsync_RedisStopped_FailClosed_RefusesWithTheConfiguredWait()
    {
        await using var server = await RedisServer.StartAsync();
        await using var store = NewStore(server, RedisUnavailableBehavior.FailClosed);
        var budget = new RateBudget("fastly:purge", capacity: 3, tokensPerPeriod: 3, TimeSpan.FromSeconds(1));
        Assert.True((await store.TryAcquireAsync(budget)).Acquired);

        await server.StopAsync();
        var refused = await store.TryAcquireAsync(budget);
        var refusedInTheBackoff = await store.TryAcquireAsync(budget);

        Assert.False(refused.Acquired);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.False(refusedInTheBackoff.Acquired);
        Assert.Equal(TimeSpan.FromSeconds(1), refusedInTheBackoff.RetryAfter);
        Assert.Equal(2, store.RedisAttempts);
        Assert.True(store.IsUsingFallback);
    }

    [Fact]
    public async Task TryAcquireAsync_ServerClock_GrantsAndRefusesOnRedisTime()
    {
        await using var store = new RedisRateBudgetStore(new RedisRateBudgetOptions { Configuration = redis.Server.Configuration, KeyPrefix = "test:server-clock:" + Guid.NewGuid().ToString("N") + ":" });
        var budget = new RateBudget("cloudflare:purge", capacity: 2, tokensPerPeriod: 1, TimeSpan.FromHours(1));

        var decisions = new[] { await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget), await store.TryAcquireAsync(budget) };

        Assert.Equal([true, true, false], decisions.Select(d => d.Acquired));
        Assert.InRange(decisions[2].RetryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public void Constructor_WithoutConfiguration_SaysWhatIsMissing()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RedisRateBudgetStore(new RedisRateBudgetOptions()));

        Assert.Contains("Configuration is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryAcquireAsync_MoreTokensThanTheCapacity_Throws()
    {
        await using var store = NewStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryAcquireAsync(new RateBudget("x:purge", 2, 1, TimeSpan.FromSeconds(1)), 3));
    }

    /// <summary>
    /// The client reconnects in the background; wait (bounded) for the first call that reaches the restarted server,
    /// ending the store's back-off on the fake clock before each try (the back-off is a time comparison, not a timer).
    /// </summary>
    private async Task WaitUntilSharedAgainAsync(RedisRateBudgetStore store, RateBudget budget)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            await store.TryAcquireAsync(budget);
            if (!store.IsUsingFallback)
            {
                return;
            }

            await Task.Delay(100);
            _time.Advance(new RedisRateBudgetOptions().UnavailableBackoff);
        }

        throw new Xunit.Sdk.XunitException("The store did not reach the restarted Redis within 30 s.");
    }
}
