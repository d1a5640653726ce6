using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Poppy.Sdk.Cloudflare.Tests;

public class DependencyInjectionTests
{
    private sealed class Builder(IServiceCollection services) : IPoppyBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private static (ServiceCollection Services, IPoppyBuilder Builder) NewBuilder()
    {
        var services = new ServiceCollection();
        return (services, new Builder(services));
    }

    [Fact]
    public void AddCloudflare_RegistersAKeyedProvider()
    {
        var (services, builder) = NewBuilder();

        builder.AddCloudflare(configure: o => (o.ApiToken, o.ZoneId, o.CnameTarget) = ("token", "zone1", "customers.saas.example"));
        using var sp = services.BuildServiceProvider();

        var provider = sp.GetRequiredKeyedService<ICdnProvider>("cloudflare");
        Assert.IsType<CloudflareCdnProvider>(provider);
        Assert.True(provider.Capabilities.AsynchronousDeployment);
        Assert.Contains(sp.GetServices<CdnProviderRegistration>(), r => r.Name == "cloudflare");
    }

    [Fact]
    public void AddCloudflare_MissingTokenAndZone_FailsAtStartWithEveryProblem()
    {
        var (services, builder) = NewBuilder();
        builder.AddCloudflare();
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Cloudflare provider 'cloudflare': ApiToken is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("ZoneId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("CnameTarget (or FallbackOrigin) is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCloudflare_FromTheCloudflareSection_BindsIt_UnknownKeysAndBadEnumsAreErrors()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Poppy:Flavors:0:Id"] = "global",
            ["Cloudflare:ApiToken"] = "token",
            ["Cloudflare:AccountId"] = "01a7362d577a6c3019a474fd6f485823",
            ["Cloudflare:ZoneId"] = "023e105f4ecef8ad9ca31a8372d0c353",
            ["Cloudflare:Plan"] = "Business",
            ["Cloudflare:FallbackOrigin"] = "fallback.saas.example",
            ["Cloudflare:FallbackOriginPolicy"] = "Ensure",
            ["Cloudflare:ValidationMethod"] = "Txt",
            ["Cloudflare:BaseAddress"] = "http://127.0.0.1:5080/client/v4/",
            ["Typo:ApiToken"] = "token",
            ["Typo:ZoneID2"] = "zone",
            ["Bad:ApiToken"] = "token",
            ["Bad:ZoneId"] = "zone",
            ["Bad:Plan"] = "Platinum",
        }).Build();
        var (services, builder) = NewBuilder();

        builder.AddCloudflare(configuration.GetSection("Cloudflare"), "cf").AddCloudflare(configuration.GetSection("Typo"), "typo").AddCloudflare(configuration.GetSection("Bad"), "bad");
        using var sp = services.BuildServiceProvider();

        var monitor = sp.GetRequiredService<IOptionsMonitor<CloudflareCdnProviderOptions>>();
        var options = monitor.Get("cf");
        Assert.Equal(("cf", CloudflarePlanTier.Business, CloudflareFallbackOriginPolicy.Ensure, CloudflareValidationMethod.Txt, new Uri("http://127.0.0.1:5080/client/v4/")), (options.Name, options.Plan, options.FallbackOriginPolicy, options.ValidationMethod, options.BaseAddress));
        Assert.Equal(new PurgeRateLimit(10, TimeSpan.FromSeconds(1), 50), sp.GetRequiredKeyedService<ICdnProvider>("cf").Capabilities.PurgeRateLimit);
        Assert.Throws<InvalidOperationException>(() => monitor.Get("typo"));
        var bad = Assert.Throws<InvalidOperationException>(() => monitor.Get("bad"));
        Assert.Contains("Free, Pro, Business or Enterprise", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCloudflare_ReturnsTheProviderBuilder_AndASecondCallKeepsTheFirst()
    {
        var (services, builder) = NewBuilder();

        var added = builder.AddCloudflare("cloudflare-eu", o => (o.ApiToken, o.ZoneId, o.CnameTarget) = ("token", "zone1", "a.saas.example"));
        builder.AddCloudflare("cloudflare-eu", o => (o.ApiToken, o.ZoneId, o.CnameTarget) = ("other", "zone2", "b.saas.example"));

        Assert.Equal(("cloudflare-eu", "Poppy.Cloudflare.cloudflare-eu"), (added.ProviderName, added.HttpClientName));
        using var sp = services.BuildServiceProvider();
        Assert.Equal("zone1", sp.GetRequiredService<IOptionsMonitor<CloudflareCdnProviderOptions>>().Get("cloudflare-eu").ZoneId);
    }

    [Fact]
    public void Options_ToString_HidesTheToken()
    {
        var options = CloudflareHarness.NewOptions();

        Assert.DoesNotContain(FakeCloudflare.Token, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiToken = (set, hidden)", options.ToString(), StringComparison.Ordinal);
    }
}
