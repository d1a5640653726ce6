using Microsoft.Extensions.DependencyInjection;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Akamai.Tests;

/// <summary>Akamai's PAPI budget (ADR 0012): every PAPI request takes a token, reads too; Fast Purge has its own bucket.</summary>
public sealed class WriteBudgetTests
{
    private static readonly string Api = "https://" + AkamaiMock.ValidOptions().Host + "/";

    private static WriteBudgetProbe Probe(Action<AkamaiCdnProviderOptions>? configure = null) =>
        WriteBudgetProbe.Build(b => b.AddAkamai(configure: o =>
        {
            var v = AkamaiMock.ValidOptions();
            (o.Host, o.ClientToken, o.ClientSecret, o.AccessToken) = (v.Host, v.ClientToken, v.ClientSecret, v.AccessToken);
            (o.ContractId, o.GroupId, o.ProductId, o.NotifyEmails) = (v.ContractId, v.GroupId, v.ProductId, v.NotifyEmails);
            configure?.Invoke(o);
        }));

    [Theory]
    [InlineData("GET", "papi/v1/properties?contractId=ctr_C-1&groupId=grp_1", 1)]
    [InlineData("POST", "papi/v1/search/find-by-value", 1)]
    [InlineData("PUT", "papi/v1/properties/prp_1/versions/2/rules", 1)]
    [InlineData("DELETE", "papi/v1/properties/prp_1", 1)]
    [InlineData("POST", "ccu/v3/invalidate/url/production", 0)]
    [InlineData("POST", "ccu/v3/delete/tag/staging", 0)]
    public async Task AddAkamai_TakesATokenForEveryPapiRequest(string method, string path, int tokens)
    {
        using var probe = Probe();

        Assert.Equal(tokens, await probe.TokensTakenByAsync(new HttpMethod(method), Api + path));
        Assert.All(probe.Store!.Taken, b => Assert.Equal(new RateBudget("akamai:write", 1_000, 100, TimeSpan.FromMinutes(1)), b));
    }

    [Fact]
    public void Capabilities_MirrorAkamaisPapiBucket_AndTheOptionsChangeIt()
    {
        using var defaults = Probe();
        using var custom = Probe(o => (o.PapiRequestsPerMinute, o.PapiBurst) = (20, 50));

        Assert.Equal(new WriteRateLimit(100, TimeSpan.FromMinutes(1), 1_000), defaults.Services.GetRequiredKeyedService<ICdnProvider>("akamai").Capabilities.WriteRateLimit);
        Assert.Equal(new WriteRateLimit(20, TimeSpan.FromMinutes(1), 50), custom.Services.GetRequiredKeyedService<ICdnProvider>("akamai").Capabilities.WriteRateLimit);
    }

    [Fact]
    public async Task PapiRequestsPerMinuteZero_TurnsPacingOff()
    {
        using var probe = Probe(o => o.PapiRequestsPerMinute = 0);

        Assert.Equal(0, await probe.TokensTakenByAsync(HttpMethod.Put, Api + "papi/v1/properties/prp_1/versions/2/rules"));
        Assert.Null(probe.Services.GetRequiredKeyedService<ICdnProvider>("akamai").Capabilities.WriteRateLimit);
    }

    [Fact]
    public void NegativeRateOrNoBurst_FailsValidation()
    {
        var valid = AkamaiMock.ValidOptions();
        valid.PapiRequestsPerMinute = -1;
        Assert.Contains(valid.Validate(), p => p.Contains("PapiRequestsPerMinute", StringComparison.Ordinal));
        valid.PapiRequestsPerMinute = 10;
        valid.PapiBurst = 0;
        Assert.Contains(valid.Validate(), p => p.Contains("PapiBurst", StringComparison.Ordinal));
    }
}
