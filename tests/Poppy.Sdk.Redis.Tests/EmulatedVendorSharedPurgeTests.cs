using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Catalog;
using Poppy.Sdk.Cloudflare;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Emulator.Cloudflare;
using Poppy.Sdk.Models;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Redis.Tests;

/// <summary>
/// Purge budgets shared through Redis, measured at the vendor: four <see cref="PoppyClient"/> instances, each with its own
/// <see cref="CloudflareCdnProvider"/> for the same Cloudflare zone, purge concurrently through one real Redis against the
/// emulated Cloudflare, whose <c>purge_cache</c> enforces the plan's token bucket and answers 429 when it is empty. What
/// is counted is what the emulator answered (its call log), not what the SDK believes it sent.
/// <para>
/// One clock: the emulator, the providers, the clients and the Redis buckets (<see cref="RedisRateBudgetOptions.UseServerClock"/>
/// off) all run on one <see cref="FakeTimeProvider"/>. The test moves it only between rounds, once every purge call of the
/// round has been answered, so every call a round made reached the emulator at the same emulator time: the time of the round.
/// Nothing waits on the wall clock except Redis calls themselves (and, when Redis is stopped, the store's timeout).
/// </para>
/// <para>
/// Not run in parallel with the other classes: the fallback counter (<c>poppy.rate_budget.fallbacks</c>) is one meter for
/// the whole process, and the store's own tests count every measurement of it while Redis is stopped.
/// </para>
/// </summary>
[Collection(EmulatedVendorSharedPurgeTests.Collection)]
public sealed class EmulatedVendorSharedPurgeTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    /// <summary>The collection this class runs in, alone.</summary>
    public const string Collection = "Emulated vendor shared purges";

    /// <summary>The plan both sides are set to: the emulator's zone and the providers' options.</summary>
    private const CloudflarePlanTier Plan = CloudflarePlanTier.Pro;

    /// <summary>
    /// Cloudflare's documented purge limit for a Pro zone (purges by tag, host, prefix and everything): a bucket of 25
    /// requests, refilled at 5 per second. The SDK declares it in the provider's capabilities and the emulator enforces it
    /// for its Pro plan; <see cref="EmulatorProPlan_EnforcesThePurgeRateTheProviderDeclares"/> checks both against it.
    /// </summary>
    private const int Burst = 25;

    private const int PerSecond = 5;

    private const int Instances = 4;

    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private static ServiceSpec Spec() => new()
    {
        Name = "shop",
        FlavorId = "edge",
        Domains = [new DomainSpec("www.example.com")],
        Origins = [new OriginSpec("origin.saas.example") { Rules = [new PathRule("all", "/*")] }],
        Caching = [new CachingRule("default", 7200, new PathRule("all", "/*"))],
    };

    [Fact]
    public async Task EmulatorProPlan_EnforcesThePurgeRateTheProviderDeclares()
    {
        await using var rig = await Rig.StartAsync(_ => null);

        // The SDK's declaration for the plan.
        Assert.Equal(new PurgeRateLimit(PerSecond, TimeSpan.FromSeconds(1), Burst), rig.Providers[0].Capabilities.PurgeRateLimit);

        // The emulator's enforcement, probed over HTTP on a frozen clock: the bucket's 25, then 429; one second later 5 more, then 429.
        using var http = new HttpClient { BaseAddress = new Uri(rig.Emulator.BaseAddress, "client/v4/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", rig.Emulator.Cloudflare.ApiToken);
        async Task<HttpStatusCode> PurgeTagAsync(int n)
        {
            using var body = new StringContent($$"""{"tags":["probe-{{n}}"]}""", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"zones/{rig.Emulator.Cloudflare.ZoneId}/purge_cache", body);
            return response.StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var n = 0; n <= Burst; n++)
        {
            first.Add(await PurgeTagAsync(n));
        }

        rig.Time.Advance(TimeSpan.FromSeconds(1));
        var second = new List<HttpStatusCode>();
        for (var n = 0; n <= PerSecond; n++)
        {
            second.Add(await PurgeTagAsync(100 + n));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Burst), HttpStatusCode.TooManyRequests], first);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, PerSecond), HttpStatusCode.TooManyRequests], second);
    }

    [Fact]
    public async Task FourClientInstancesThroughOneRedis_NeverOverrunTheEmulatedBucket_AndUseAtLeast90PercentOfIt()
    {
        var prefix = "test:emulated:" + Guid.NewGuid().ToString("N") + ":";
        await using var rig = await Rig.StartAsync(time => new RedisRateBudgetStore(
            new RedisRateBudgetOptions { Configuration = redis.Server.Configuration, KeyPrefix = prefix, UseServerClock = false, WhenUnavailable = RedisUnavailableBehavior.FailClosed }, time));
        const int PurgesEach = 30; // 120 in all: the burst of 25, then 95 at 5 per second (19 s)

        var operations = await rig.StartPurgesAsync(PurgesEach);
        await rig.RunUntilDoneAsync(operations, realTimeBound: TimeSpan.FromSeconds(120));

        Assert.All(operations, o => Assert.True(o.Value.IsSuccess, o.StatusDescription));
        var calls = rig.PurgeCalls;
        var timeline = string.Join(", ", calls.GroupBy(c => c.At).Select(g => $"{g.Key.TotalSeconds:0.0}s:{g.Count(c => c.Status == 200)}/{g.Count()}"));
        Assert.DoesNotContain(calls, c => c.Status == 429);
        Assert.All(calls, c => Assert.Equal(200, c.Status));
        Assert.Equal(Instances * PurgesEach, calls.Count);
        // Every purge reached the emulator once (no batch resubmitted), from every instance.
        var tags = rig.Emulator.Cloudflare.Purges.SelectMany(p => p.Items).ToList();
        Assert.Equal(Instances * PurgesEach, tags.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Enumerable.Range(0, Instances), i => Assert.Equal(PurgesEach, tags.Count(t => t.StartsWith($"i{i}-", StringComparison.Ordinal))));

        // Every window [t1, t2] between two call times holds at most what the emulator's bucket lets through in it: the
        // burst plus the rate times its length (the bucket was full at the first call: nothing purged before it).
        var times = calls.Select(c => c.At).Distinct().Order().ToList();
        foreach (var from in times)
        {
            foreach (var to in times.Where(t => t >= from))
            {
                var inWindow = calls.Count(c => c.At >= from && c.At <= to);
                var allows = Burst + (PerSecond * (to - from).TotalSeconds);
                Assert.True(inWindow <= allows, $"{inWindow} purges between {from.TotalSeconds}s and {to.TotalSeconds}s; the bucket allows {allows}: {timeline}");
            }
        }

        // Utilization over the run: elapsed is the emulator-clock time from the first purge call to the last one; in it the
        // emulator would have accepted at most the burst plus the rate times elapsed (exactly that many when sent at once
        // each refill). The four instances together must have sent at least 90 % of it.
        var elapsed = (times[^1] - times[0]).TotalSeconds;
        var capacity = Burst + (PerSecond * elapsed);
        var utilization = calls.Count / capacity;
        Assert.True(utilization >= 0.90, $"{calls.Count} purges in {elapsed} s: {utilization:P1} of the {capacity} the emulator would accept: {timeline}");
        Assert.True(utilization <= 1.0, $"{calls.Count} purges in {elapsed} s exceed the {capacity} the emulator would accept: {timeline}");
    }

    [Fact]
    public async Task FourClientInstancesWithLocalBudgetsOnly_OverrunTheEmulatedBucket()
    {
        // The control: the same run with each client's own local budget (no shared store). Each instance spends the whole
        // burst at once, so the emulator refuses purges with 429: what the shared run above must never see.
        await using var rig = await Rig.StartAsync(_ => null);

        var operations = await rig.StartPurgesAsync(30);
        await rig.RunUntilDoneAsync(operations, realTimeBound: TimeSpan.FromSeconds(120));

        Assert.All(operations, o => Assert.True(o.Value.IsSuccess, o.StatusDescription));
        var calls = rig.PurgeCalls;
        Assert.Equal(Instances * Burst, calls.Count(c => c.At == TimeSpan.Zero));
        Assert.Equal(Burst, calls.Count(c => c.At == TimeSpan.Zero && c.Status == 200));
        Assert.Contains(calls, c => c.Status == 429);
    }

    [Fact]
    public async Task RedisStoppedDuringTheirPurges_FallBackToLocal_ThePurgesComplete_WithTheWarningAndTheMetric()
    {
        await using var server = await RedisServer.StartAsync();
        var prefix = "test:fallback:" + Guid.NewGuid().ToString("N") + ":";
        var logs = new List<FakeLogger<RedisRateBudgetStore>>();
        await using var rig = await Rig.StartAsync(time =>
        {
            var log = new FakeLogger<RedisRateBudgetStore>();
            logs.Add(log);
            return new RedisRateBudgetStore(new RedisRateBudgetOptions { Configuration = server.Configuration, KeyPrefix = prefix, UseServerClock = false, WhenUnavailable = RedisUnavailableBehavior.FallBackToLocal }, time, log);
        });
        // Filtered on this run's budget key: other tests in the process count fallbacks of their own.
        using var fallbacks = new MetricCollector<long>(null, "Poppy.Sdk", "poppy.rate_budget.fallbacks");
        var operations = await rig.StartPurgesAsync(15);
        await rig.RunUntilAsync(operations, () => rig.PurgeCalls.Count >= Burst + (2 * PerSecond), TimeSpan.FromSeconds(60));
        Assert.Contains(operations, o => !o.HasCompleted);
        var beforeStop = rig.PurgeCalls.Count;

        await server.StopAsync();
        await rig.RunUntilDoneAsync(operations, realTimeBound: TimeSpan.FromSeconds(120));

        Assert.All(operations, o => Assert.True(o.Value.IsSuccess, o.StatusDescription));
        // Purges kept flowing while Redis was down (each instance on its local bucket; the emulator may refuse some with
        // 429 meanwhile, which the operations wait out and resubmit).
        Assert.Contains(rig.PurgeCalls.Skip(beforeStop), c => c.Status == 200);
        Assert.Equal(Instances * 15, rig.PurgeCalls.Count(c => c.Status == 200));
        var local = fallbacks.GetMeasurementSnapshot().Where(m => Equals(m.Tags["poppy.budget"], rig.BudgetKey)).ToList();
        Assert.NotEmpty(local);
        Assert.All(local, m => Assert.Equal("local", m.Tags["poppy.fallback"]));
        Assert.Contains(logs.SelectMany(l => l.Collector.GetSnapshot()), r => r.Level == LogLevel.Warning && r.Message.Contains("pacing with local buckets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedisStoppedDuringTheirPurges_FailClosed_NoPurgeReachesTheVendorUntilItIsBack_ThenTheyResume()
    {
        await using var server = await RedisServer.StartAsync();
        var prefix = "test:fail-closed:" + Guid.NewGuid().ToString("N") + ":";
        await using var rig = await Rig.StartAsync(time => new RedisRateBudgetStore(
            new RedisRateBudgetOptions { Configuration = server.Configuration, KeyPrefix = prefix, UseServerClock = false, WhenUnavailable = RedisUnavailableBehavior.FailClosed }, time));
        using var fallbacks = new MetricCollector<long>(null, "Poppy.Sdk", "poppy.rate_budget.fallbacks");
        var operations = await rig.StartPurgesAsync(15);
        await rig.RunUntilAsync(operations, () => rig.PurgeCalls.Count >= Burst + (2 * PerSecond), TimeSpan.FromSeconds(60));
        Assert.Contains(operations, o => !o.HasCompleted);
        var beforeStop = rig.PurgeCalls.Count;

        // Six seconds of emulator time with Redis down: every token is refused, so no purge call reaches the vendor. (A
        // restarted Redis is empty and its bucket starts full; the emulator's bucket is full again too after 25 / 5 = 5 s.)
        await server.StopAsync();
        var stoppedAt = rig.Time.GetUtcNow();
        await rig.RunUntilAsync(operations, () => rig.Time.GetUtcNow() - stoppedAt >= TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(120), () => Assert.Equal(beforeStop, rig.PurgeCalls.Count));
        Assert.Equal(beforeStop, rig.PurgeCalls.Count);
        Assert.Contains(operations, o => !o.HasCompleted);
        var refused = fallbacks.GetMeasurementSnapshot().Where(m => Equals(m.Tags["poppy.budget"], rig.BudgetKey)).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, m => Assert.Equal("refused", m.Tags["poppy.fallback"]));

        await server.RestartAsync();
        await rig.RunUntilDoneAsync(operations, realTimeBound: TimeSpan.FromSeconds(120));

        Assert.All(operations, o => Assert.True(o.Value.IsSuccess, o.StatusDescription));
        var calls = rig.PurgeCalls;
        Assert.True(calls.Count > beforeStop);
        Assert.DoesNotContain(calls, c => c.Status == 429);
        Assert.Equal(Instances * 15, calls.Count);
    }

    /// <summary>
    /// The emulated Cloudflare (Pro plan) and four client instances of one zone, each with its own provider object and
    /// the store <c>budgets</c> gives it (null: the client's own local budget), sharing a catalog (as instances sharing a
    /// database do) that holds one deployed service.
    /// </summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _stores = [];
        private readonly List<(TimeSpan At, int Status)> _purgeCalls = [];
        private int _seenCalls;

        private Rig(FakeTimeProvider time, CdnEmulator emulator)
        {
            Time = time;
            Emulator = emulator;
        }

        public FakeTimeProvider Time { get; }

        public CdnEmulator Emulator { get; }

        public List<CloudflareCdnProvider> Providers { get; } = [];

        public List<PoppyClient> Clients { get; } = [];

        public string BudgetKey => Providers[0].Name + ":purge";

        /// <summary>Every <c>purge_cache</c> call the emulator answered, with the emulator time of its round (since the first purge round) and its status.</summary>
        public IReadOnlyList<(TimeSpan At, int Status)> PurgeCalls
        {
            get
            {
                Collect();
                return [.. _purgeCalls];
            }
        }

        private TimeSpan? FirstPurgeRound { get; set; }

        public static async Task<Rig> StartAsync(Func<TimeProvider, IRateBudgetStore?> budgets)
        {
            var time = new FakeTimeProvider(Start);
            var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
            {
                TimeProvider = time,
                DeployDelay = TimeSpan.FromSeconds(1),
                Cloudflare = { Plan = (CloudflarePlan)(int)Plan },
            });
            var rig = new Rig(time, emulator);
            var catalog = new InMemoryServiceCatalog();
            for (var i = 0; i < Instances; i++)
            {
                var options = new CloudflareCdnProviderOptions
                {
                    Name = "cloudflare-shop",
                    ApiToken = emulator.Cloudflare.ApiToken,
                    ZoneId = emulator.Cloudflare.ZoneId,
                    AccountId = emulator.Cloudflare.AccountId,
                    CnameTarget = "customers.saas.example.net",
                    Plan = Plan,
                    BaseAddress = new Uri(emulator.BaseAddress, "client/v4/"),
                    PollingInterval = TimeSpan.FromSeconds(1),
                };
                var provider = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(options), options, time);
                var store = budgets(time);
                if (store is IAsyncDisposable owned)
                {
                    rig._stores.Add(owned);
                }

                rig.Providers.Add(provider);
                rig.Clients.Add(new PoppyClient([provider], new PoppyClientOptions().AddFlavor("edge", FlavorMode.Mirror, options.Name), catalog, time, rateBudgets: store));
            }

            var create = await rig.Clients[0].CreateServiceAsync(Spec(), "shop");
            for (var n = 0; !await create.UpdateStatusAsync(); n++)
            {
                Assert.True(n < 100, create.StatusDescription);
                time.Advance(TimeSpan.FromSeconds(1));
            }

            Assert.True(create.Value is not null, create.StatusDescription);
            Assert.Empty(emulator.Cloudflare.Purges);
            return rig;
        }

        /// <summary>Each instance starts <paramref name="each"/> purges of one tag (<c>i{instance}-{n}</c>), the four concurrently.</summary>
        public async Task<List<PurgeOperation>> StartPurgesAsync(int each)
        {
            var started = await Task.WhenAll(Clients.Select((client, i) => Task.Run(async () =>
            {
                var operations = new List<PurgeOperation>();
                for (var n = 0; n < each; n++)
                {
                    operations.Add(await client.StartPurgeAsync("shop", PurgeRequest.ForTags($"i{i}-{n}")));
                }

                return operations;
            })));
            Collect();
            return [.. started.SelectMany(o => o)];
        }

        public Task RunUntilDoneAsync(List<PurgeOperation> operations, TimeSpan realTimeBound) =>
            RunUntilAsync(operations, () => false, realTimeBound);

        /// <summary>
        /// Rounds until every operation completed or <paramref name="stop"/> holds: the clock moves one tick, then every
        /// unfinished operation of every instance is polled concurrently (due batches take a token and are sent), and the
        /// round ends once every call has been answered. <paramref name="afterRound"/> runs after each round.
        /// </summary>
        public async Task RunUntilAsync(List<PurgeOperation> operations, Func<bool> stop, TimeSpan realTimeBound, Action? afterRound = null)
        {
            var bound = DateTime.UtcNow + realTimeBound;
            while (operations.Any(o => !o.HasCompleted) && !stop())
            {
                Assert.True(DateTime.UtcNow < bound, $"the purges did not finish within {realTimeBound} of real time (emulator time {Time.GetUtcNow():O}, {PurgeCalls.Count} purge calls)");
                Time.Advance(Tick);
                await Task.WhenAll(operations.Where(o => !o.HasCompleted).Select(o => Task.Run(async () => await o.UpdateStatusAsync())));
                Collect();
                afterRound?.Invoke();
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in Clients)
            {
                client.Dispose();
            }

            foreach (var store in _stores)
            {
                await store.DisposeAsync();
            }

            await Emulator.DisposeAsync();
        }

        /// <summary>
        /// Notes the purge calls answered since the last look at the emulator's present time: the clock does not move while
        /// a round runs, so that is the emulator time every one of them was answered at.
        /// </summary>
        private void Collect()
        {
            lock (_purgeCalls)
            {
                var calls = Emulator.Cloudflare.Calls.Calls;
                var now = Time.GetUtcNow() - Start;
                for (; _seenCalls < calls.Count; _seenCalls++)
                {
                    var call = calls[_seenCalls];
                    if (call.Method == "POST" && call.Path.EndsWith("/purge_cache", StringComparison.Ordinal))
                    {
                        FirstPurgeRound ??= now;
                        _purgeCalls.Add((now - FirstPurgeRound.Value, call.Status));
                    }
                }
            }
        }
    }
}

/// <summary>Runs <see cref="EmulatedVendorSharedPurgeTests"/> once the classes that run in parallel are done.</summary>
[CollectionDefinition(EmulatedVendorSharedPurgeTests.Collection, DisableParallelization = true)]
public sealed class EmulatedVendorSharedPurgeRunsAlone;
