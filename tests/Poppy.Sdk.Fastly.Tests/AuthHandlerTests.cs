using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

/// <summary>The Fastly-Key header is added by the client's handler, exactly once per request, on both construction paths.</summary>
public class AuthHandlerTests
{
    private const string Token = "fk-AUTH-0123456789";
    private const string Search = "https://api.fastly.com/service/search";

    private sealed class Builder(IServiceCollection services) : IPoppyBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private static bool OneKey(HttpRequestMessage request) =>
        request.Headers.TryGetValues("Fastly-Key", out var values) && values.Count() == 1 && values.Single() == Token;

    [Fact]
    public async Task CreateHttpClient_WithoutDi_AddsTheKeyOnce()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, Search).With(OneKey).Respond(HttpStatusCode.NotFound);
        var options = new FastlyCdnProviderOptions { ApiToken = Token };
        var provider = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(options, mock), options);

        Assert.Null(await provider.GetServiceAsync(new ServiceReference("svc-1")));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Provider_ClientThatDoesNotAuthenticate_SendsNoKeyAndSaysHowToFixIt()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, Search).With(r => !r.Headers.Contains("Fastly-Key"))
            .Respond(HttpStatusCode.Unauthorized, "application/json", """{"msg":"Provided credentials are missing or invalid"}""");
        var provider = new FastlyCdnProvider(new HttpClient(mock), new FastlyCdnProviderOptions { ApiToken = Token });

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.GetServiceAsync(new ServiceReference("svc-1")));

        Assert.Equal(CdnErrorCode.Unauthorized, error.ErrorCode);
        Assert.Contains("FastlyCdnProvider.CreateHttpClient", error.Message, StringComparison.Ordinal);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddFastly_RetriedRequest_CarriesTheKeyOnceOnEveryAttempt()
    {
        var services = new ServiceCollection();
        var mock = new MockHttpMessageHandler();
        var builder = new Builder(services).AddFastly(configure: o => o.ApiToken = Token);
        services.AddHttpClient(builder.HttpClientName!).ConfigurePrimaryHttpMessageHandler(() => mock);
        services.Configure<HttpStandardResilienceOptions>(builder.HttpClientName + "-standard", o =>
        {
            o.Retry.Delay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
        });
        mock.Expect(HttpMethod.Get, Search).With(OneKey).Respond((HttpStatusCode)503, [KeyValuePair.Create("Retry-After", "0")], "application/json", "{}");
        mock.Expect(HttpMethod.Get, Search).With(OneKey).Respond(HttpStatusCode.NotFound);
        using var sp = services.BuildServiceProvider();

        Assert.Null(await sp.GetRequiredKeyedService<ICdnProvider>("fastly").GetServiceAsync(new ServiceReference("svc-1")));
        mock.VerifyNoOutstandingExpectation();
        Assert.Equal("fastly", builder.ProviderName);
        Assert.Equal("Poppy.Fastly.fastly", builder.HttpClientName);
    }
}
