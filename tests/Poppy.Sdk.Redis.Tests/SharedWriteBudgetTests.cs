using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Poppy.Sdk.Models;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Redis.Tests;

/// <summary>
/// Write budgets shared through Redis (ADR 0012): two instances ("processes": two containers) of one Fastly account
/// pace their write requests from one bucket, so together they stay within the account's hourly limit.
/// </summary>
public sealed class SharedWriteBudgetTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string Api = "https://api.fastly.com/";
    private const int WritesPerHour = 20; // a burst of 10, then one token every 6 minutes
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The vendor both instances talk to: answers 200 and notes on the fake clock when each write arrived.</summary>
    private sealed class RecordingVendor(TimeProvider time) : HttpMessageHandler
    {
        private readonly List<(DateTimeOffset At, string Instance)> _writes = [];

        public IReadOnlyList<(DateTimeOffset At, string Instance)> Writes
        {
            get
            {
                lock (_writes)
                {
                    return [.. _writes];
                }
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_writes)
            {
                _writes.Add((time.GetUtcNow(), request.Headers.TryGetValues("X-Instance", out var v) ? v.Single() : "?"));
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }

    private ServiceProvider Instance(TimeProvider time, string prefix, HttpMessageHandler vendor, bool shared = true)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        var poppy = services.AddPoppy(o => o.AddFlavor("edge", FlavorMode.Mirror, "fastly"));
        var fastly = poppy.AddFastly(configure: o => (o.ApiToken, o.WriteRequestsPerHour) = ("fk-SHARED-0123456789", WritesPerHour));
        if (shared)
        {
            // Failing closed: a Redis call that times out on a loaded machine makes the instance wait, never send on a
            // local bucket of its own.
            poppy.UseRedisRateLimits(redis.Server.Configuration, o => (o.KeyPrefix, o.UseServerClock, o.WhenUnavailable) = (prefix, false, RedisUnavailableBehavior.FailClosed));
        }

        services.AddHttpClient(fastly.HttpClientName!).ConfigurePrimaryHttpMessageHandler(() => vendor);
        // The resilience handler's timeouts run on the same fake clock: put them beyond the test's horizon, so the only
        // one-shot timers within it are the write budget's waits.
        services.Configure<HttpStandardResilienceOptions>(fastly.HttpClientName + "-standard", o =>
        {
            o.AttemptTimeout.Timeout = TimeSpan.FromHours(12);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromDays(1);
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromDays(1);
        });
        return services.BuildServiceProvider();
    }

    private static async Task<List<(DateTimeOffset At, string Instance)>> RunAsync(TimerAwareTimeProvider time, RecordingVendor vendor, IReadOnlyList<ServiceProvider> instances, int writesEach)
    {
        var workers = instances.Select((sp, i) => Task.Run(async () =>
        {
            var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient(FastlyPoppyBuilderExtensions.HttpClientNamePrefix + "fastly");
            for (var n = 0; n < writesEach; n++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, Api + $"service/svc-{i}/version/1/backend/b{n}");
                request.Headers.Add("X-Instance", "instance-" + i);
                (await client.SendAsync(request)).Dispose();
            }
        })).ToArray();

        // Advance the clock only when every unfinished instance is parked on its wait for a token (a one-shot timer on
        // the fake clock), and only to the earliest wait's end: deterministic, and no request is in flight meanwhile.
        var bound = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (workers.Any(w => !w.IsCompleted))
        {
            var unfinished = workers.Count(w => !w.IsCompleted);
            var horizon = time.GetUtcNow() + TimeSpan.FromHours(1);
            var due = time.PendingDueTimes().Where(d => d <= horizon).ToList();
            if (due.Count >= unfinished)
            {
                var step = due.Min() - time.GetUtcNow();
                time.Advance(step > TimeSpan.Zero ? step : TimeSpan.FromMilliseconds(1));
                continue;
            }

            Assert.True(DateTime.UtcNow < bound, $"the instances neither finished nor waited (fake time {time.GetUtcNow():O}, {vendor.Writes.Count} writes)");
            await Task.WhenAny(Task.WhenAny(workers), Task.Delay(5));
        }

        await Task.WhenAll(workers);
        return [.. vendor.Writes];
    }

    private static int MostInAnyHour(IReadOnlyList<(DateTimeOffset At, string Instance)> writes) =>
        writes.Max(w => writes.Count(x => x.At >= w.At && x.At < w.At + TimeSpan.FromHours(1)));

    [Fact]
    public async Task TwoInstancesOfOneFastlyAccount_TogetherNeverExceedTheHourlyWriteLimit_AndUseIt()
    {
        var time = new TimerAwareTimeProvider(Start);
        var vendor = new RecordingVendor(time);
        var prefix = "test:write:" + Guid.NewGuid().ToString("N") + ":";
        await using var first = Instance(time, prefix, vendor);
        await using var second = Instance(time, prefix, vendor);

        var writes = await RunAsync(time, vendor, [first, second], writesEach: 15);

        var timeline = string.Join(", ", writes.Select(w => $"{(w.At - Start).TotalMinutes:0.###}m {w.Instance}"));
        Assert.Equal(30, writes.Count);
        Assert.Equal(15, writes.Count(w => w.Instance == "instance-0"));
        Assert.True(MostInAnyHour(writes) <= WritesPerHour, $"{MostInAnyHour(writes)} writes in one hour; the account allows {WritesPerHour}: {timeline}");
        // The budget is used, not wasted: the burst of 10 at once, then one write at each 6-minute refill, the last at
        // 2 h (a minute's slack for a Redis call that timed out on a loaded machine and was refused meanwhile).
        Assert.True(writes.Count(w => w.At == Start) <= 10, timeline);
        Assert.InRange(writes.Max(w => w.At), Start + TimeSpan.FromHours(2), Start + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var redisKey = prefix + "fastly:write";
        var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        await using (connection)
        {
            Assert.True(await connection.GetDatabase().KeyExistsAsync(redisKey), $"no budget at {redisKey}");
        }
    }

    [Fact]
    public async Task TwoInstancesWithoutRedis_EachPaceAlone_AndTogetherExceedTheLimit()
    {
        // The control: the same run with each instance's own local budget sends twice the burst at once.
        var time = new TimerAwareTimeProvider(Start);
        var vendor = new RecordingVendor(time);
        await using var first = Instance(time, "unused:", vendor, shared: false);
        await using var second = Instance(time, "unused:", vendor, shared: false);

        var writes = await RunAsync(time, vendor, [first, second], writesEach: 15);

        Assert.Equal(30, writes.Count);
        Assert.Equal(20, writes.Count(w => w.At == Start));
        Assert.True(MostInAnyHour(writes) > WritesPerHour);
    }
}
