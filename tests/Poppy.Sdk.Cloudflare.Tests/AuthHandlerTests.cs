using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>The bearer token is added by the client's handler, exactly once per attempt, on both construction paths.</summary>
public class AuthHandlerTests
{
    private const string List = CloudflareMock.Base + CloudflareMock.ZonePath + "custom_hostnames";

    private sealed class Builder(IServiceCollection services) : IPoppyBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private static bool OneBearer(HttpRequestMessage request, string token = CloudflareMock.Token) =>
        request.Headers.TryGetValues("Authorization", out var values) && values.Count() == 1 && values.Single() == "Bearer " + token;

    [Fact]
    public async Task Provider_ClientThatDoesNotAuthenticate_SendsNoTokenAndSaysHowToFixIt()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, List).With(r => r.Headers.Authorization is null).Respond(_ => CloudflareMock.Error(400, 6003, "Invalid request headers"));
        var provider = new CloudflareCdnProvider(new HttpClient(mock), CloudflareHarness.NewOptions());

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.GetServiceAsync(new ServiceReference("svc-1")));

        Assert.Equal(("6003", CdnErrorCode.InvalidRequest), (error.VendorErrorCode, error.ErrorCode));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CreateHttpClient_RotatedToken_IsReadPerRequest()
    {
        var mock = new MockHttpMessageHandler();
        var options = CloudflareHarness.NewOptions();
        mock.Expect(HttpMethod.Get, List).With(r => OneBearer(r)).Respond(_ => CloudflareMock.Ok("[]", CloudflareMock.Page(1, 1)));
        mock.Expect(HttpMethod.Get, List).With(r => OneBearer(r, "rotated-token")).Respond(_ => CloudflareMock.Ok("[]", CloudflareMock.Page(1, 1)));
        using var http = CloudflareCdnProvider.CreateHttpClient(options, mock);
        var provider = new CloudflareCdnProvider(http, options);

        await provider.GetServiceAsync(new ServiceReference("svc-1"));
        options.ApiToken = "rotated-token";
        await provider.GetServiceAsync(new ServiceReference("svc-1"));

        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddCloudflare_RetriedRequest_CarriesTheTokenOnceOnEveryAttempt()
    {
        var services = new ServiceCollection();
        var mock = new MockHttpMessageHandler();
        new Builder(services).AddCloudflare(configure: o => (o.ApiToken, o.ZoneId, o.CnameTarget) = (CloudflareMock.Token, CloudflareMock.Zone, "customers.saas.example"));
        services.AddHttpClient(CloudflarePoppyBuilderExtensions.HttpClientNamePrefix + "cloudflare").ConfigurePrimaryHttpMessageHandler(() => mock);
        services.Configure<HttpStandardResilienceOptions>(CloudflarePoppyBuilderExtensions.HttpClientNamePrefix + "cloudflare-standard", o =>
        {
            o.Retry.Delay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
        });
        mock.Expect(HttpMethod.Get, List).With(r => OneBearer(r)).Respond(_ => CloudflareMock.Error(503, 10001, "Service unavailable"));
        mock.Expect(HttpMethod.Get, List).With(r => OneBearer(r)).Respond(_ => CloudflareMock.Ok("[]", CloudflareMock.Page(1, 1)));
        using var sp = services.BuildServiceProvider();

        Assert.Null(await sp.GetRequiredKeyedService<ICdnProvider>("cloudflare").GetServiceAsync(new ServiceReference("svc-1")));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddCloudflare_RuleCreateFailedWith502_IsNotRetried()
    {
        var services = new ServiceCollection();
        var mock = new MockHttpMessageHandler();
        new Builder(services).AddCloudflare(configure: o => (o.ApiToken, o.ZoneId, o.CnameTarget) = (CloudflareMock.Token, CloudflareMock.Zone, "customers.saas.example"));
        services.AddHttpClient(CloudflarePoppyBuilderExtensions.HttpClientNamePrefix + "cloudflare").ConfigurePrimaryHttpMessageHandler(() => mock);
        services.Configure<HttpStandardResilienceOptions>(CloudflarePoppyBuilderExtensions.HttpClientNamePrefix + "cloudflare-standard", o => o.Retry.Delay = TimeSpan.Zero);
        mock.Expect(HttpMethod.Get, List).Respond(_ => CloudflareMock.Ok("[]"));
        mock.Expect(HttpMethod.Post, List).Respond(_ => CloudflareMock.Error(502, 10002, "Bad gateway"));
        using var sp = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => sp.GetRequiredKeyedService<ICdnProvider>("cloudflare").CreateServiceAsync("svc-1", TestSpecs.Simple()));

        Assert.True(error.IsTransient);
        mock.VerifyNoOutstandingExpectation();
        Assert.Equal(HttpStatusCode.BadGateway, (HttpStatusCode)error.Status!);
    }
}
