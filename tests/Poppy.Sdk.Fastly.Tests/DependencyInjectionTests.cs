using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

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

    /// <summary>Routes the named client to a mock and removes retry delays (no test waits in real time).</summary>
    private static void UseMock(IServiceCollection services, MockHttpMessageHandler mock, string name = "fastly")
    {
        services.AddHttpClient(FastlyPoppyBuilderExtensions.HttpClientNamePrefix + name).ConfigurePrimaryHttpMessageHandler(() => mock);
        services.Configure<HttpStandardResilienceOptions>(FastlyPoppyBuilderExtensions.HttpClientNamePrefix + name + "-standard", o =>
        {
            o.Retry.Delay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
        });
    }

    [Fact]
    public void AddFastly_RegistersAKeyedProvider()
    {
        var (services, builder) = NewBuilder();

        builder.AddFastly(configure: o => o.ApiToken = "t");
        using var sp = services.BuildServiceProvider();

        var provider = sp.GetRequiredKeyedService<ICdnProvider>("fastly");
        Assert.IsType<FastlyCdnProvider>(provider);
        Assert.Equal("fastly", provider.Name);
        Assert.Contains(sp.GetServices<CdnProviderRegistration>(), r => r.Name == "fastly");
    }

    [Fact]
    public void AddFastly_TwoAccounts_CoexistUnderTheirNames()
    {
        var (services, builder) = NewBuilder();

        builder.AddFastly("fastly", o => o.ApiToken = "a").AddFastly("fastly-eu", o => o.ApiToken = "b");
        using var sp = services.BuildServiceProvider();

        Assert.Equal("fastly-eu", sp.GetRequiredKeyedService<ICdnProvider>("fastly-eu").Name);
        Assert.Equal("b", sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get("fastly-eu").ApiToken);
    }

    [Fact]
    public void AddFastly_CalledTwice_KeepsOneRegistrationAndOneResilienceHandler()
    {
        var (services, builder) = NewBuilder();

        builder.AddFastly(configure: o => o.ApiToken = "first");
        var count = services.Count;
        builder.AddFastly(configure: o => o.ApiToken = "second");

        Assert.Equal(count, services.Count);
        using var sp = services.BuildServiceProvider();
        Assert.Equal("first", sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get("fastly").ApiToken);
    }

    [Fact]
    public void AddFastly_MissingToken_FailsAtStartWithAClearMessage()
    {
        var (services, builder) = NewBuilder();
        builder.AddFastly();
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Fastly provider 'fastly': ApiToken is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fastly:ApiToken", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Poppy:Fastly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFastly_FromConfiguration_BindsTheSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fastly:ApiToken"] = "from-config",
            ["Fastly:BaseAddress"] = "http://127.0.0.1:8080/",
            ["Fastly:AccessUrlTarget"] = "dualstack.nonssl.us-eu.fastly.net",
            ["Fastly:PurgeRequestsPerSecond"] = "20",
        }).Build();
        var (services, builder) = NewBuilder();

        builder.AddFastly("fastly-eu", configuration.GetSection("Fastly"));
        using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();

        var options = sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get("fastly-eu");
        Assert.Equal("from-config", options.ApiToken);
        Assert.Equal("fastly-eu", options.Name);
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), options.BaseAddress);
        Assert.Equal(20, sp.GetRequiredKeyedService<ICdnProvider>("fastly-eu").Capabilities.PurgeRateLimit!.RequestsPerPeriod);
    }

    [Fact]
    public void AddFastly_NameComesFirstInEveryOverload_AndDefaultsToFastly()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ApiToken"] = "t" }).Build();
        var (services, builder) = NewBuilder();

        var byDefault = builder.AddFastly(configuration);
        var named = builder.AddFastly("second", configuration);
        var inCode = builder.AddFastly("third", o => o.ApiToken = "t");

        Assert.Equal(("fastly", "second", "third"), (byDefault.ProviderName, named.ProviderName, inCode.ProviderName));
        using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal("second", sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get("second").Name);
    }

    [Fact]
    public void AddFastly_UnknownConfigurationKey_IsAnError()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiToken"] = "t",
            ["ApiTokn"] = "typo",
        }).Build();
        var (services, builder) = NewBuilder();
        builder.AddFastly(configuration);
        using var sp = services.BuildServiceProvider();

        Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get("fastly"));
    }

    [Fact]
    public void AddFastly_UnknownKeyInTheFastlySection_ErrorNamesTheConfigurationPathNotTheOptionsType()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fastly:ApiToken"] = "t",
            ["Fastly:ApiTokn"] = "typo",
        }).Build();
        var (services, builder) = NewBuilder();
        builder.AddFastly(configuration.GetSection("Fastly"));
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get("fastly"));

        Assert.StartsWith("Unknown configuration key Fastly:ApiTokn: not a setting of section 'Fastly'.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("FastlyCdnProviderOptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFastly_Requests_CarryTheCurrentTokenAndRetryIdempotentCalls()
    {
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        builder.AddFastly(configure: o => o.ApiToken = "dI-token");
        UseMock(services, mock);
        mock.Expect(HttpMethod.Get, "https://api.fastly.com/service/search").WithHeaders("Fastly-Key", "dI-token").Respond(HttpStatusCode.ServiceUnavailable);
        mock.Expect(HttpMethod.Get, "https://api.fastly.com/service/search").WithHeaders("Fastly-Key", "dI-token").Respond(HttpStatusCode.NotFound);
        using var sp = services.BuildServiceProvider();

        var service = await sp.GetRequiredKeyedService<ICdnProvider>("fastly").GetServiceAsync(new ServiceReference("svc-1"));

        Assert.Null(service);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddFastly_ResilienceHandlerAttempts_LogBelowInformationUnlessTheAttemptFails()
    {
        var (services, builder) = NewBuilder();
        services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        var mock = new MockHttpMessageHandler();
        builder.AddFastly(configure: o => o.ApiToken = "t");
        UseMock(services, mock);
        mock.Expect(HttpMethod.Get, "https://api.fastly.com/service/search").Respond(HttpStatusCode.ServiceUnavailable);
        mock.Expect(HttpMethod.Get, "https://api.fastly.com/service/search").Respond(HttpStatusCode.NotFound);
        mock.Expect(HttpMethod.Get, "https://api.fastly.com/service/search").Respond(HttpStatusCode.NotFound);
        using var sp = services.BuildServiceProvider();
        var provider = sp.GetRequiredKeyedService<ICdnProvider>("fastly");

        await provider.GetServiceAsync(new ServiceReference("svc-1"));
        await provider.GetServiceAsync(new ServiceReference("svc-2"));

        var attempts = sp.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Category == "Polly" && r.Message.StartsWith("Execution attempt", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Equal(LogLevel.Warning, attempts[0].Level);   // the 503, handled and retried
        Assert.All(attempts.Skip(1), r => Assert.Equal(LogLevel.Debug, r.Level));
        Assert.DoesNotContain(sp.GetFakeLogCollector().GetSnapshot(), r => r.Category == "Polly" && r.Level == LogLevel.Information);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddFastly_CreateServicePostFails_IsNotRetriedBlindly()
    {
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        builder.AddFastly(configure: o => o.ApiToken = "t");
        UseMock(services, mock);
        mock.Expect(HttpMethod.Get, "https://api.fastly.com/service/search").Respond(HttpStatusCode.NotFound);
        mock.Expect(HttpMethod.Post, "https://api.fastly.com/service").Respond(HttpStatusCode.ServiceUnavailable);
        mock.Fallback.Throw(new InvalidOperationException("The POST was retried."));
        using var sp = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => sp.GetRequiredKeyedService<ICdnProvider>("fastly").CreateServiceAsync("svc-1", TestSpecs.Minimal()));

        Assert.Equal(503, error.Status);
        Assert.True(error.IsTransient);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddFastly_PostRateLimitedWithRetryAfter_IsRetried()
    {
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        builder.AddFastly(configure: o => o.ApiToken = "t");
        UseMock(services, mock);
        mock.Expect(HttpMethod.Get, "https://api.fastly.com/service/search").Respond(HttpStatusCode.NotFound);
        mock.Expect(HttpMethod.Post, "https://api.fastly.com/service").Respond((HttpStatusCode)429, [new KeyValuePair<string, string>("Retry-After", "0")], "application/json", "{}");
        mock.Expect(HttpMethod.Post, "https://api.fastly.com/service").Respond((HttpStatusCode)400, "application/json", """{"msg":"stop here"}""");
        using var sp = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => sp.GetRequiredKeyedService<ICdnProvider>("fastly").CreateServiceAsync("svc-1", TestSpecs.Minimal()));

        Assert.Equal(400, error.Status);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AddFastly_PurgeRefusedWith429_ThrowsRateLimitedAtOnceForThePurgeOperationToPace()
    {
        var (services, builder) = NewBuilder();
        builder.AddFastly(configure: o => o.ApiToken = "t");
        var mock = new MockHttpMessageHandler();
        UseMock(services, mock);
        mock.Fallback.Throw(new InvalidOperationException("the purge was retried"));
        mock.Expect(HttpMethod.Get, "https://api.fastly.com/service/" + FastlyMock.VendorId).Respond("application/json", FastlyJson.Service());
        mock.Expect(HttpMethod.Post, $"https://api.fastly.com/service/{FastlyMock.VendorId}/purge")
            .Respond((HttpStatusCode)429, [new KeyValuePair<string, string>("Retry-After", "30")], "application/json", """{"msg":"Too many requests"}""");
        using var sp = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CdnRateLimitedException>(() => sp.GetRequiredKeyedService<ICdnProvider>("fastly")
            .PurgeAsync(new ServiceReference("svc-1", FastlyMock.VendorId), PurgeRequest.ForTags("product-1")));

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.True(error.IsTransient);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CreateServiceAsync_TokenRotatedByAConfigurationReloadAndEchoedOnRetries_IsScrubbed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ApiToken"] = "fk-ORIGINAL-0123456789abcdef" }).Build();
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        builder.AddFastly(configuration);
        UseMock(services, mock);
        var seen = new List<string>();
        mock.When(HttpMethod.Get, "https://api.fastly.com/service/search").Respond(request =>
        {
            var key = request.Headers.GetValues("Fastly-Key").Single();
            seen.Add(key);
            return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("{\"msg\":\"backend failed for key " + key + "\"}") };
        });
        using var sp = services.BuildServiceProvider();
        var provider = sp.GetRequiredKeyedService<ICdnProvider>("fastly");
        const string Rotated = "fk-ROTATED-fedcba9876543210";
        configuration["ApiToken"] = Rotated;
        configuration.Reload();

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.CreateServiceAsync("svc-1", TestSpecs.Minimal()));

        Assert.True(seen.Count > 1, "the resilience handler retried (each attempt a copy of the request)");
        Assert.All(seen, key => Assert.Equal(Rotated, key));
        Assert.Contains("backend failed for key [redacted]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Rotated, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_NeverContainTheToken()
    {
        const string token = "fk-LOGTEST-0123456789abcdef";
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        builder.AddFastly(configure: o => o.ApiToken = token);
        UseMock(services, mock);
        mock.When(HttpMethod.Get, "https://api.fastly.com/service/search").Respond(HttpStatusCode.NotFound);
        mock.When(HttpMethod.Post, "https://api.fastly.com/service").Respond(HttpStatusCode.Unauthorized, "application/json", """{"msg":"Provided credentials are missing or invalid"}""");
        using var sp = services.BuildServiceProvider();
        var provider = sp.GetRequiredKeyedService<ICdnProvider>("fastly");

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.CreateServiceAsync("svc-1", TestSpecs.Minimal()));
        var options = sp.GetRequiredService<IOptionsMonitor<FastlyCdnProviderOptions>>().Get("fastly");

        var logs = sp.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.Contains(logs, r => r.Id.Id == 2001);
        Assert.All(logs, r =>
        {
            Assert.DoesNotContain(token, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(token, r.Exception?.ToString() ?? "", StringComparison.Ordinal);
            Assert.All(r.StructuredState ?? [], kv => Assert.DoesNotContain(token, kv.Value ?? "", StringComparison.Ordinal));
        });
        Assert.DoesNotContain(token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, ProviderError.FromException(error).Message, StringComparison.Ordinal);
    }
}
