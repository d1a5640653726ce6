using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class DependencyInjectionTests
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

    private static void Valid(AkamaiCdnProviderOptions o)
    {
        var v = AkamaiMock.ValidOptions();
        (o.Host, o.ClientToken, o.ClientSecret, o.AccessToken) = (v.Host, v.ClientToken, v.ClientSecret, v.AccessToken);
        (o.ContractId, o.GroupId, o.ProductId, o.NotifyEmails) = (v.ContractId, v.GroupId, v.ProductId, v.NotifyEmails);
    }

    [Fact]
    public void AddAkamai_RegistersAKeyedProviderAndItsClient()
    {
        var (services, builder) = NewBuilder();

        var provider = builder.AddAkamai(configure: Valid);
        using var sp = services.BuildServiceProvider();

        Assert.Equal("akamai", provider.ProviderName);
        Assert.Equal("Poppy.Akamai.akamai", provider.HttpClientName);
        var resolved = sp.GetRequiredKeyedService<ICdnProvider>("akamai");
        Assert.IsType<AkamaiCdnProvider>(resolved);
        Assert.True(resolved.Capabilities.AsynchronousDeployment);
        Assert.Contains(sp.GetServices<CdnProviderRegistration>(), r => r.Name == "akamai");
    }

    [Fact]
    public void AddAkamai_TwiceWithTheSameName_KeepsTheFirst()
    {
        var (services, builder) = NewBuilder();
        builder.AddAkamai(configure: Valid);
        builder.AddAkamai(configure: o => o.ContractId = "ctr_other");
        using var sp = services.BuildServiceProvider();

        Assert.Single(sp.GetServices<CdnProviderRegistration>(), r => r.Name == "akamai");
        Assert.Equal("ctr_C-1", sp.GetRequiredService<IOptionsMonitor<AkamaiCdnProviderOptions>>().Get("akamai").ContractId);
    }

    [Fact]
    public void AddAkamai_MissingValues_FailsAtStartWithEveryProblem()
    {
        var (services, builder) = NewBuilder();
        builder.AddAkamai(configure: o => o.RuleFormat = "latest");
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ClientToken, ClientSecret and AccessToken are required", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContractId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("NotifyEmails", error.Message, StringComparison.Ordinal);
        Assert.Contains("'latest' is refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAkamai_FromConfiguration_BindsTheSectionBesidePoppy()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Akamai:Host"] = "akab-x.luna.akamaiapis.net",
            ["Akamai:ClientToken"] = "akab-ct",
            ["Akamai:ClientSecret"] = "secret-value-123",
            ["Akamai:AccessToken"] = "akab-at",
            ["Akamai:BaseAddress"] = "http://127.0.0.1:5080/",
            ["Akamai:ContractId"] = "ctr_1",
            ["Akamai:GroupId"] = "grp_2",
            ["Akamai:ProductId"] = "prd_Fresca",
            ["Akamai:Networks"] = "Production",
            ["Akamai:NotifyEmails:0"] = "a@example.com",
            ["Akamai:NotifyEmails:1"] = "b@example.com",
            ["Akamai:EdgeHostnameDomain"] = "edgekey.net",
            ["Akamai:CpCodeId"] = "1234",
            ["Akamai:RuleFormat"] = "v2024-10-21",
            ["Akamai:AccountSwitchKey"] = "1-ABC",
            ["Akamai:PollingInterval"] = "00:00:05",
        }).Build();
        var (services, builder) = NewBuilder();

        builder.AddAkamai(configuration.GetSection("Akamai"));
        using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();
        var o = sp.GetRequiredService<IOptionsMonitor<AkamaiCdnProviderOptions>>().Get("akamai");

        Assert.Equal(new Uri("http://127.0.0.1:5080/"), o.BaseAddress);
        Assert.Equal(AkamaiActivationNetworks.Production, o.Networks);
        Assert.Equal(["a@example.com", "b@example.com"], o.NotifyEmails);
        Assert.Equal(1234, o.CpCodeId);
        Assert.Equal("v2024-10-21", o.RuleFormat);
        Assert.Equal(TimeSpan.FromSeconds(5), o.PollingInterval);
        Assert.IsType<AkamaiCdnProvider>(sp.GetRequiredKeyedService<ICdnProvider>("akamai"));
    }

    [Fact]
    public void AddAkamai_UnknownConfigurationKey_IsAnError()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Akamai:ClientSecrett"] = "x",
        }).Build();
        var (services, builder) = NewBuilder();
        builder.AddAkamai(configuration.GetSection("Akamai"));
        using var sp = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<InvalidOperationException>(() => sp.GetRequiredService<IOptionsMonitor<AkamaiCdnProviderOptions>>().Get("akamai"));
        Assert.Contains("ClientSecrett", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToString_HidesSecretAndTokens()
    {
        var o = AkamaiMock.ValidOptions();
        o.AccountSwitchKey = "1-SWITCH-KEY";
        var text = o.ToString();
        Assert.DoesNotContain(AkamaiMock.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AkamaiMock.AccessToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("akab-client-token-static", text, StringComparison.Ordinal);
        Assert.Contains("ctr_C-1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ContractId", "1234")]
    [InlineData("RuleFormat", "2024-10-21")]
    [InlineData("EdgeHostnameDomain", "akamaized.net")]
    public void Options_Validate_RefusesMalformedValues(string property, string value)
    {
        var o = AkamaiMock.ValidOptions();
        typeof(AkamaiCdnProviderOptions).GetProperty(property)!.SetValue(o, value);
        Assert.Contains(o.Validate(), p => p.Contains(property, StringComparison.Ordinal));
    }

    /// <summary>Routes the named client to a mock and removes retry delays (no test waits in real time).</summary>
    private static void UseMock(IServiceCollection services, MockHttpMessageHandler mock)
    {
        services.AddHttpClient(AkamaiPoppyBuilderExtensions.HttpClientNamePrefix + "akamai").ConfigurePrimaryHttpMessageHandler(() => mock);
        services.Configure<HttpStandardResilienceOptions>(AkamaiPoppyBuilderExtensions.HttpClientNamePrefix + "akamai-standard", o =>
        {
            o.Retry.Delay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
        });
    }

    private const string PropertyUrl = "https://akab-test.luna.akamaiapis.net/papi/v1/properties/prp_100";

    [Fact]
    public async Task AddAkamai_GetAnswered503_RetriedWithAFreshSignature()
    {
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        builder.AddAkamai(configure: Valid);
        UseMock(services, mock);
        var signatures = new List<string>();
        mock.Expect(HttpMethod.Get, PropertyUrl).Respond(r => { signatures.Add(r.Headers.Authorization!.ToString()); return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable); });
        mock.Expect(HttpMethod.Get, PropertyUrl).Respond(r => { signatures.Add(r.Headers.Authorization!.ToString()); return new HttpResponseMessage(HttpStatusCode.NotFound); });
        mock.Expect(HttpMethod.Post, "https://akab-test.luna.akamaiapis.net/papi/v1/search/find-by-value").Respond("application/json", """{"versions":{"items":[]}}""");
        using var sp = services.BuildServiceProvider();

        var service = await sp.GetRequiredKeyedService<ICdnProvider>("akamai").GetServiceAsync(new ServiceReference("svc-1", "prp_100"));

        Assert.Null(service);
        mock.VerifyNoOutstandingExpectation();
        Assert.Equal(2, signatures.Count);
        Assert.NotEqual(signatures[0], signatures[1]);
        Assert.All(signatures, a => Assert.StartsWith("EG1-HMAC-SHA256 client_token=akab-client-token-static;", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddAkamai_GetConnectionFails_Retried()
    {
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        builder.AddAkamai(configure: Valid);
        UseMock(services, mock);
        mock.Expect(HttpMethod.Get, PropertyUrl).Throw(new HttpRequestException("Connection reset"));
        mock.Expect(HttpMethod.Get, PropertyUrl).Respond(HttpStatusCode.NotFound);
        mock.Expect(HttpMethod.Post, "https://akab-test.luna.akamaiapis.net/papi/v1/search/find-by-value").Respond("application/json", """{"versions":{"items":[]}}""");
        using var sp = services.BuildServiceProvider();

        Assert.Null(await sp.GetRequiredKeyedService<ICdnProvider>("akamai").GetServiceAsync(new ServiceReference("svc-1", "prp_100")));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddAkamai_PostAnswered503_NotRepeated()
    {
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        builder.AddAkamai(configure: Valid);
        UseMock(services, mock);
        mock.Expect(HttpMethod.Post, "https://akab-test.luna.akamaiapis.net/papi/v1/search/find-by-value").Respond(HttpStatusCode.ServiceUnavailable);
        using var sp = services.BuildServiceProvider();

        var e = await Assert.ThrowsAsync<CdnRequestFailedException>(() => sp.GetRequiredKeyedService<ICdnProvider>("akamai").GetServiceAsync(new ServiceReference("svc-1")));

        // Repeated, the POST would have met the mock's fallback (404) instead of the one 503 it expects.
        Assert.Equal(503, e.Status);
        Assert.True(e.IsTransient);
        mock.VerifyNoOutstandingExpectation();
    }
}
