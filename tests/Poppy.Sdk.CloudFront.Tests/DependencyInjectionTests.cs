using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

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
    public void AddCloudFront_RegistersAKeyedProvider()
    {
        var (services, builder) = NewBuilder();

        builder.AddCloudFront(configure: o => (o.AccessKeyId, o.SecretAccessKey) = ("AKID", "secret"));
        using var sp = services.BuildServiceProvider();

        var provider = sp.GetRequiredKeyedService<ICdnProvider>("cloudfront");
        Assert.IsType<CloudFrontCdnProvider>(provider);
        Assert.True(provider.Capabilities.AsynchronousDeployment);
        Assert.Contains(sp.GetServices<CdnProviderRegistration>(), r => r.Name == "cloudfront");
    }

    [Fact]
    public void AddCloudFront_MissingKey_FailsAtStartWithAClearMessage()
    {
        var (services, builder) = NewBuilder();
        builder.AddCloudFront();
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CloudFront provider 'cloudfront': AccessKeyId and SecretAccessKey are required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCloudFront_FromConfiguration_BindsTheSection_UnknownKeysAreErrors()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudFront:AccessKeyId"] = "AKID",
            ["CloudFront:SecretAccessKey"] = "secret",
            ["CloudFront:BaseAddress"] = "http://127.0.0.1:5080/",
            ["CloudFront:CacheTagHeaderName"] = "Cache-Tag",
            ["CloudFront:PollingInterval"] = "00:00:05",
            ["Typo:AccessKeyId"] = "AKID",
            ["Typo:SecretAccesKey"] = "secret",
        }).Build();
        var (services, builder) = NewBuilder();

        builder.AddCloudFront("cf", configuration.GetSection("CloudFront")).AddCloudFront("typo", configuration.GetSection("Typo"));
        using var sp = services.BuildServiceProvider();

        var options = sp.GetRequiredService<IOptionsMonitor<CloudFrontCdnProviderOptions>>().Get("cf");
        Assert.Equal(("cf", new Uri("http://127.0.0.1:5080/"), TimeSpan.FromSeconds(5)), (options.Name, options.BaseAddress, options.PollingInterval));
        Assert.True(sp.GetRequiredKeyedService<ICdnProvider>("cf").Capabilities.Purge.HasFlag(PurgeSupport.Tag));
        Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IOptionsMonitor<CloudFrontCdnProviderOptions>>().Get("typo"));
    }

    [Fact]
    public void AddCloudFront_ReturnsTheProviderBuilder_WithItsHttpClientName()
    {
        var (_, builder) = NewBuilder();

        var added = builder.AddCloudFront("cloudfront-eu", o => (o.AccessKeyId, o.SecretAccessKey) = ("AKID", "secret"));

        Assert.Equal(("cloudfront-eu", "Poppy.CloudFront.cloudfront-eu"), (added.ProviderName, added.HttpClientName));
        Assert.Same(builder.Services, added.Services);
    }

    [Fact]
    public async Task NamedClient_RetriesThrottling_ThenSucceeds()
    {
        var (services, builder) = NewBuilder();
        var mock = new MockHttpMessageHandler();
        builder.AddCloudFront(configure: o => (o.AccessKeyId, o.SecretAccessKey) = ("AKID", "secret"));
        services.AddHttpClient(CloudFrontPoppyBuilderExtensions.HttpClientNamePrefix + "cloudfront").ConfigurePrimaryHttpMessageHandler(() => mock);
        services.Configure<HttpStandardResilienceOptions>(CloudFrontPoppyBuilderExtensions.HttpClientNamePrefix + "cloudfront-standard", o =>
        {
            o.Retry.Delay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
        });
        var url = CloudFrontMock.Base + "distribution/E1";
        // Every attempt, the retried one too, carries exactly one SigV4 signature: the auth handler's.
        static bool SignedOnce(HttpRequestMessage r) =>
            r.Headers.TryGetValues("Authorization", out var values) && values.Single().StartsWith("AWS4-HMAC-SHA256 Credential=AKID/", StringComparison.Ordinal)
            && r.Headers.GetValues("X-Amz-Date").Count() == 1;
        mock.Expect(HttpMethod.Get, url).With(SignedOnce).Respond(_ => CloudFrontMock.Error(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded"));
        mock.Expect(HttpMethod.Get, url).With(SignedOnce).Respond(_ => CloudFrontMock.Error(HttpStatusCode.NotFound, "NoSuchDistribution"));
        using var sp = services.BuildServiceProvider();

        var service = await sp.GetRequiredKeyedService<ICdnProvider>("cloudfront").GetServiceAsync(new ServiceReference("svc-1", "E1"));

        Assert.Null(service);
        mock.VerifyNoOutstandingExpectation();
    }
}
