using Microsoft.Extensions.DependencyInjection;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>Cloudflare's global API budget (ADR 0012): every request of the token counts, reads and purges included.</summary>
public sealed class WriteBudgetTests
{
    private const string Api = "https://api.cloudflare.com/client/v4/";

    private static WriteBudgetProbe Probe(Action<CloudflareCdnProviderOptions>? configure = null) =>
        WriteBudgetProbe.Build(b => b.AddCloudflare(configure: o =>
        {
            (o.ApiToken, o.ZoneId, o.CnameTarget) = (CloudflareMock.Token, CloudflareMock.Zone, "customers.saas.example");
            configure?.Invoke(o);
        }));

    [Theory]
    [InlineData("GET", "zones/z1/custom_hostnames?page=1")]
    [InlineData("POST", "zones/z1/custom_hostnames")]
    [InlineData("PATCH", "zones/z1/rulesets/r1/rules/x")]
    [InlineData("DELETE", "zones/z1/custom_hostnames/h1")]
    [InlineData("POST", "zones/z1/purge_cache")]
    public async Task AddCloudflare_TakesATokenForEveryRequest(string method, string path)
    {
        using var probe = Probe();

        Assert.Equal(1, await probe.TokensTakenByAsync(new HttpMethod(method), Api + path));
        Assert.Equal(new RateBudget("cloudflare:write", 600, 1, TimeSpan.FromSeconds(0.5)), Assert.Single(probe.Store!.Taken));
    }

    [Fact]
    public void Capabilities_DeclareTheFiveMinuteLimitAsHalfBurstHalfSpread()
    {
        using var probe = Probe(o => o.ApiRequestsPerFiveMinutes = 4_000);

        var limit = probe.Services.GetRequiredKeyedService<ICdnProvider>("cloudflare").Capabilities.WriteRateLimit;

        Assert.Equal(new WriteRateLimit(1, TimeSpan.FromMinutes(5) / 2_000, 2_000), limit);
    }

    [Fact]
    public async Task ApiRequestsPerFiveMinutesZero_TurnsPacingOff()
    {
        using var probe = Probe(o => o.ApiRequestsPerFiveMinutes = 0);

        Assert.Equal(0, await probe.TokensTakenByAsync(HttpMethod.Post, Api + "zones/z1/custom_hostnames"));
        Assert.Null(probe.Services.GetRequiredKeyedService<ICdnProvider>("cloudflare").Capabilities.WriteRateLimit);
    }

    [Fact]
    public void ApiRequestsPerFiveMinutes_OneOrNegative_FailsValidation()
    {
        Assert.Contains(new CloudflareCdnProviderOptions { ApiToken = "t", ZoneId = "z", CnameTarget = "c.example.com", ApiRequestsPerFiveMinutes = 1 }.Validate(), p => p.Contains("ApiRequestsPerFiveMinutes", StringComparison.Ordinal));
        Assert.Contains(new CloudflareCdnProviderOptions { ApiToken = "t", ZoneId = "z", CnameTarget = "c.example.com", ApiRequestsPerFiveMinutes = -1 }.Validate(), p => p.Contains("ApiRequestsPerFiveMinutes", StringComparison.Ordinal));
    }
}
