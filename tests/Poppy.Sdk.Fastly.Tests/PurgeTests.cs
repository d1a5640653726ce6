using System.Net;
using System.Text.Json;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

public class PurgeTests
{
    private const string Id = FastlyMock.VendorId;
    private static readonly ServiceReference Service = new("svc-1", Id);

    private static void ExpectServiceWithDomains(FastlyMock mock, params string[] domains)
    {
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(2, active: true, locked: true))));
        if (domains.Length > 0)
        {
            mock.Expect(HttpMethod.Get, FastlyMock.V(2) + "/domain")
                .RespondJson(JsonSerializer.Serialize(domains.Select(d => new Dictionary<string, object> { ["name"] = d, ["version"] = 2 })));
        }
    }

    [Fact]
    public async Task PurgeAsync_Path_PurgesItOnEveryDomainOfTheService()
    {
        var mock = new FastlyMock();
        ExpectServiceWithDomains(mock, "www.example.com", "mysite.global.ssl.fastly.net");
        mock.Expect(HttpMethod.Post, "purge/www.example.com/img/a.png").With(r => !r.Headers.Contains("Fastly-Soft-Purge")).RespondJson("""{"status":"ok","id":"108-1391560174-974124"}""");
        mock.Expect(HttpMethod.Post, "purge/mysite.global.ssl.fastly.net/img/a.png").RespondJson("""{"status":"ok","id":"108-1391560174-974125"}""");

        var result = await mock.Provider.PurgeAsync(Service, PurgeRequest.ForUrls("/img/a.png"));

        mock.Verify();
        Assert.Equal("fastly", result.Provider);
        Assert.Equal(["/img/a.png"], result.Items);
        Assert.Equal(["108-1391560174-974124", "108-1391560174-974125"], result.VendorPurgeIds);
        Assert.True(result.Completed);
        Assert.Null(result.Emulation);
    }

    [Fact]
    public async Task PurgeAsync_FullUrlWithQuery_PurgesThatHostPathAndQuery()
    {
        var mock = new FastlyMock();
        ExpectServiceWithDomains(mock);
        mock.Expect(HttpMethod.Post, "purge/www.example.com/search?q=cdn").RespondJson("""{"status":"ok","id":"p1"}""");

        var result = await mock.Provider.PurgeAsync(Service, PurgeRequest.ForUrls("https://www.example.com/search?q=cdn"));

        mock.Verify();
        Assert.Equal(["p1"], result.VendorPurgeIds);
    }

    [Fact]
    public async Task PurgeAsync_SoftUrl_SendsFastlySoftPurgeHeader()
    {
        var mock = new FastlyMock();
        ExpectServiceWithDomains(mock, "www.example.com");
        mock.Expect(HttpMethod.Post, "purge/www.example.com/index.html").WithHeaders("Fastly-Soft-Purge", "1").RespondJson("""{"status":"ok","id":"p1"}""");

        await mock.Provider.PurgeAsync(Service, PurgeRequest.ForUrls("/index.html").AsSoft());

        mock.Verify();
    }

    [Fact]
    public async Task PurgeAsync_Tags_SendsOneBulkJsonCall()
    {
        var mock = new FastlyMock();
        ExpectServiceWithDomains(mock);
        mock.ExpectJson(HttpMethod.Post, $"service/{Id}/purge", """{"surrogate_keys":["product-1","product-2"]}""")
            .With(r => !r.Headers.Contains("Fastly-Soft-Purge"))
            .RespondJson("""{"product-1":"108-1391560174-974124","product-2":"108-1391560174-974125"}""");

        var result = await mock.Provider.PurgeAsync(Service, PurgeRequest.ForTags("product-1", "product-2"));

        mock.Verify();
        Assert.Equal(["108-1391560174-974124", "108-1391560174-974125"], result.VendorPurgeIds);
    }

    [Fact]
    public async Task PurgeAsync_256Tags_FitInOneSoftCall()
    {
        var mock = new FastlyMock();
        var keys = Enumerable.Range(0, 256).Select(i => "k" + i).ToArray();
        ExpectServiceWithDomains(mock);
        mock.ExpectJson(HttpMethod.Post, $"service/{Id}/purge", JsonSerializer.Serialize(new { surrogate_keys = keys }))
            .WithHeaders("Fastly-Soft-Purge", "1")
            .RespondJson(JsonSerializer.Serialize(keys.ToDictionary(k => k, k => "id-" + k)));

        var result = await mock.Provider.PurgeAsync(Service, PurgeRequest.ForTags(keys).AsSoft());

        mock.Verify();
        Assert.Equal(256, result.VendorPurgeIds.Count);
        Assert.Equal(256, mock.Provider.Capabilities.MaxPurgeBatchSize);
    }

    [Fact]
    public async Task PurgeAsync_257Tags_RejectedBeforeAnyCall()
    {
        var mock = new FastlyMock();

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(Service, PurgeRequest.ForTags(Enumerable.Range(0, 257).Select(i => "k" + i).ToArray())));

        mock.Verify();
        Assert.Contains(error.Problems, p => p.Path == "/items");
    }

    [Fact]
    public async Task PurgeAsync_Everything_CallsPurgeAll()
    {
        var mock = new FastlyMock();
        ExpectServiceWithDomains(mock);
        mock.Expect(HttpMethod.Post, $"service/{Id}/purge_all").RespondJson("""{"status":"ok"}""");

        var result = await mock.Provider.PurgeAsync(Service, PurgeRequest.ForEverything());

        mock.Verify();
        Assert.Empty(result.VendorPurgeIds);
    }

    [Fact]
    public async Task PurgeAsync_SoftEverything_RejectedBecauseFastlyCannot()
    {
        var mock = new FastlyMock();

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(Service, PurgeRequest.ForEverything().AsSoft()));

        Assert.Equal("/mode", Assert.Single(error.Problems).Path);
    }

    [Fact]
    public async Task PurgeAsync_Prefix_RejectedBeforeAnyCall()
    {
        var mock = new FastlyMock();

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(Service, PurgeRequest.ForPrefixes("/images/")));

        Assert.Equal("/kind", Assert.Single(error.Problems).Path);
        Assert.False(mock.Provider.Capabilities.Purge.HasFlag(PurgeSupport.Prefix));
    }

    [Fact]
    public async Task PurgeAsync_Host_RejectedBeforeAnyCall()
    {
        var mock = new FastlyMock();

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(Service, PurgeRequest.ForHosts("www.example.com")));

        Assert.Equal("/kind", Assert.Single(error.Problems).Path);
        Assert.False(mock.Provider.Capabilities.Purge.HasFlag(PurgeSupport.Host));
    }

    [Theory]
    [InlineData("/a/../etc/passwd")]
    [InlineData("/a/./b")]
    [InlineData("/page#top")]
    public async Task PurgeAsync_UrlThatWouldBeRewritten_RejectedBeforeAnyCall(string url)
    {
        var mock = new FastlyMock();

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(Service, PurgeRequest.ForUrls(url)));

        Assert.Equal("/items/0", Assert.Single(error.Problems).Path);
    }

    [Fact]
    public async Task PurgeAsync_ServiceMissing_ThrowsNotFound()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(null);

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.PurgeAsync(Service, PurgeRequest.ForEverything()));

        Assert.Equal(CdnErrorCode.NotFound, error.ErrorCode);
    }

    [Fact]
    public void Capabilities_PurgeRateLimit_UnpacedByDefaultAndConfigurable()
    {
        Assert.Null(new FastlyMock().Provider.Capabilities.PurgeRateLimit);

        var paced = new FastlyMock(o => o.PurgeRequestsPerSecond = 50).Provider.Capabilities.PurgeRateLimit;

        Assert.Equal(new PurgeRateLimit(50, TimeSpan.FromSeconds(1), 50), paced);
    }

    [Fact]
    public void Capabilities_DeclaredHonestly()
    {
        var c = new FastlyMock().Provider.Capabilities;

        Assert.Equal(RestrictionSupport.All, c.Restrictions);
        Assert.Equal(RestrictionSupport.All, c.PerPathRestrictions);
        Assert.True(c.PerPathCaching);
        Assert.True(c.MultipleOrigins);
        Assert.Equal(HostHeaderSupport.All, c.HostHeaders);
        Assert.Null(c.OriginPorts);
        Assert.Equal(CertificateSupport.Shared, c.Certificates);
        Assert.Equal(PurgeSupport.Url | PurgeSupport.Tag | PurgeSupport.All | PurgeSupport.Soft, c.Purge);
        Assert.False(c.LogDelivery);
        Assert.False(c.AsynchronousDeployment);
    }
}
