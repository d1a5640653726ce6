using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Fastly.Tests;

/// <summary>
/// Fastly's write budget (ADR 0012): the client's pipeline takes a token for each request Fastly's hourly limit counts
/// (non-read requests, except URL and surrogate-key purges), and waits on the clock when the budget is spent.
/// </summary>
public sealed class WriteBudgetTests
{
    private const string Api = "https://api.fastly.com/";
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static WriteBudgetProbe Probe(Action<FastlyCdnProviderOptions>? configure = null, bool recordTokens = true, TimeProvider? time = null) =>
        WriteBudgetProbe.Build(
            b => b.AddFastly(configure: o =>
            {
                o.ApiToken = "fk-BUDGET-0123456789";
                configure?.Invoke(o);
            }),
            recordTokens,
            time);

    [Theory]
    [InlineData("GET", "service/search?name=x", 0)]
    [InlineData("HEAD", "service/abc", 0)]
    [InlineData("POST", "service", 1)]
    [InlineData("PUT", "service/abc/version/1/activate", 1)]
    [InlineData("PATCH", "service/abc/version/1/backend/origin", 1)]
    [InlineData("DELETE", "service/abc", 1)]
    [InlineData("POST", "purge/www.example.com/a.css", 0)]
    [InlineData("POST", "service/abc/purge", 0)]
    [InlineData("POST", "service/abc/purge/product-1", 0)]
    [InlineData("POST", "service/abc/purge_all", 1)]
    public async Task AddFastly_TakesAWriteTokenForTheRequestsFastlyCounts(string method, string path, int tokens)
    {
        using var probe = Probe();

        Assert.Equal(tokens, await probe.TokensTakenByAsync(new HttpMethod(method), Api + path));
        Assert.All(probe.Store!.Taken, b => Assert.Equal(new RateBudget("fastly:write", 500, 1, TimeSpan.FromSeconds(7.2)), b));
    }

    [Fact]
    public async Task AddFastly_UnderAnotherBaseAddress_ClassifiesPathsBelowIt()
    {
        using var probe = Probe(o => o.BaseAddress = new Uri("http://127.0.0.1:5080/fastly/"));

        Assert.Equal(0, await probe.TokensTakenByAsync(HttpMethod.Post, "http://127.0.0.1:5080/fastly/purge/www.example.com/a.css"));
        Assert.Equal(1, await probe.TokensTakenByAsync(HttpMethod.Post, "http://127.0.0.1:5080/fastly/service/abc/purge_all"));
        Assert.Equal(0, await probe.TokensTakenByAsync(HttpMethod.Post, "http://127.0.0.1:5080/fastly/service/abc/purge/k"));
    }

    [Fact]
    public void Capabilities_DeclareTheHourlyLimitAsHalfBurstHalfSpread()
    {
        using var probe = Probe();

        var limit = probe.Services.GetRequiredKeyedService<ICdnProvider>("fastly").Capabilities.WriteRateLimit;

        Assert.Equal(new WriteRateLimit(1, TimeSpan.FromSeconds(7.2), 500), limit);
        // The burst plus one token per 7.2 s: Fastly's 1,000 in any hour.
        Assert.Equal(1_000, limit!.Burst + (int)(TimeSpan.FromHours(1) / limit.Period));
    }

    [Fact]
    public async Task WriteRequestsPerHourZero_TurnsPacingOff()
    {
        using var probe = Probe(o => o.WriteRequestsPerHour = 0);

        Assert.Equal(0, await probe.TokensTakenByAsync(HttpMethod.Post, Api + "service"));
        Assert.Null(probe.Services.GetRequiredKeyedService<ICdnProvider>("fastly").Capabilities.WriteRateLimit);
    }

    [Fact]
    public async Task ReloadedConfiguration_ChangesTheLimitWithoutARestart()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ApiToken"] = "fk-BUDGET-0123456789", ["WriteRequestsPerHour"] = "100" })
            .Build();
        using var probe = WriteBudgetProbe.Build(b => b.AddFastly("fastly", configuration));
        Assert.Equal(1, await probe.TokensTakenByAsync(HttpMethod.Post, Api + "service"));

        configuration["WriteRequestsPerHour"] = "0";
        configuration.Reload();

        Assert.Equal(0, await probe.TokensTakenByAsync(HttpMethod.Post, Api + "service"));
        configuration["WriteRequestsPerHour"] = "10";
        configuration.Reload();
        Assert.Equal(1, await probe.TokensTakenByAsync(HttpMethod.Post, Api + "service"));
        Assert.Equal([new RateBudget("fastly:write", 50, 1, TimeSpan.FromSeconds(72)), new RateBudget("fastly:write", 5, 1, TimeSpan.FromMinutes(12))], probe.Store!.Taken);
    }

    [Fact]
    public async Task ReloadedLowerLimit_WithTheDefaultLocalStore_PacesAtTheNewLimit()
    {
        var time = new TimerAwareTimeProvider(Start);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ApiToken"] = "fk-BUDGET-0123456789", ["WriteRequestsPerHour"] = "1000" })
            .Build();
        using var probe = WriteBudgetProbe.Build(b => b.AddFastly("fastly", configuration), recordTokens: false, time: time);
        (await probe.Client.PostAsync(Api + "service", null)).Dispose();

        // 4 per hour: a burst of 2 (of the 499 tokens left), then one token every 30 minutes.
        configuration["WriteRequestsPerHour"] = "4";
        configuration.Reload();
        (await probe.Client.PostAsync(Api + "service", null)).Dispose();
        (await probe.Client.PostAsync(Api + "service", null)).Dispose();
        time.Advance(TimeSpan.FromMilliseconds(1));
        var fourth = probe.Client.PostAsync(Api + "service", null);
        await time.WaitForTimerAsync(TimeSpan.FromMinutes(30));

        Assert.False(fourth.IsCompleted);
        Assert.Equal(3, probe.Vendor.Count);
        await time.AdvanceWhenWaitedOnAsync(TimeSpan.FromMinutes(30));
        (await fourth).Dispose();
        Assert.Equal(4, probe.Vendor.Count);
    }

    [Fact]
    public void WriteRequestsPerHour_OneOrNegative_FailsValidation()
    {
        Assert.Contains(new FastlyCdnProviderOptions { ApiToken = "t", WriteRequestsPerHour = 1 }.Validate(), p => p.Contains("WriteRequestsPerHour", StringComparison.Ordinal));
        Assert.Contains(new FastlyCdnProviderOptions { ApiToken = "t", WriteRequestsPerHour = -5 }.Validate(), p => p.Contains("WriteRequestsPerHour", StringComparison.Ordinal));
        Assert.Empty(new FastlyCdnProviderOptions { ApiToken = "t", WriteRequestsPerHour = 2 }.Validate());
    }

    [Fact]
    public async Task SpentBudget_WithoutAStoreInDi_WaitsOnTheClockForTheNextToken()
    {
        var time = new TimerAwareTimeProvider(Start);
        // 4 per hour: a burst of 2, then one token every 30 minutes, in the container's own local store.
        using var probe = Probe(o => o.WriteRequestsPerHour = 4, recordTokens: false, time: time);
        (await probe.Client.PostAsync(Api + "service", null)).Dispose();
        (await probe.Client.PostAsync(Api + "service", null)).Dispose();
        // The bucket refills at 30 min; the wait below starts a moment later, so the refill comes first.
        time.Advance(TimeSpan.FromMilliseconds(1));

        var third = probe.Client.PostAsync(Api + "service", null);
        await time.WaitForTimerAsync(TimeSpan.FromMinutes(30));

        Assert.False(third.IsCompleted);
        Assert.Equal(2, probe.Vendor.Count);
        await time.AdvanceWhenWaitedOnAsync(TimeSpan.FromMinutes(30));
        (await third).Dispose();
        Assert.Equal(3, probe.Vendor.Count);
        Assert.Equal(TimeSpan.FromMinutes(30) + TimeSpan.FromMilliseconds(1), time.GetUtcNow() - Start);
    }

    [Fact]
    public async Task SpentBudget_CancellingTheRequest_StopsTheWaitAndSendsNothing()
    {
        var time = new TimerAwareTimeProvider(Start);
        using var probe = Probe(o => o.WriteRequestsPerHour = 2, recordTokens: false, time: time);
        (await probe.Client.DeleteAsync(Api + "service/abc")).Dispose();
        using var cancel = new CancellationTokenSource();

        var second = probe.Client.DeleteAsync(Api + "service/abc", cancel.Token);
        await time.WaitForTimerAsync(TimeSpan.FromHours(1));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal(1, probe.Vendor.Count);
    }

    [Fact]
    public async Task SpentBudget_ReadsAndUrlPurgesStillPass()
    {
        var time = new TimerAwareTimeProvider(Start);
        using var probe = Probe(o => o.WriteRequestsPerHour = 2, recordTokens: false, time: time);
        (await probe.Client.PostAsync(Api + "service", null)).Dispose();
        // Only a bound that turns a wrongly paced request (it would wait on the fake clock for ever) into a failure.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        for (var i = 0; i < 5; i++)
        {
            (await probe.Client.GetAsync(Api + "service/abc", bound.Token)).Dispose();
            (await probe.Client.PostAsync(Api + "purge/www.example.com/a.css", null, bound.Token)).Dispose();
        }

        Assert.Equal(11, probe.Vendor.Count);
    }
}
