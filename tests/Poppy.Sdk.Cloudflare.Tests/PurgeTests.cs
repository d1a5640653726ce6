using System.Net;
using System.Text.Json.Nodes;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Cloudflare.Tests;

public class PurgeTests
{
    private const string Listing = "[{\"id\":\"h1\",\"hostname\":\"www.example.com\",\"custom_metadata\":{\"poppy:service-id\":\"svc-1\"}},{\"id\":\"h2\",\"hostname\":\"static.example.com\",\"custom_metadata\":{\"poppy:service-id\":\"svc-1\"}},{\"id\":\"h3\",\"hostname\":\"other.example.com\",\"custom_metadata\":{\"poppy:service-id\":\"svc-2\"}}]";

    private static CloudflareMock MockWithService(Action<CloudflareCdnProviderOptions>? configure = null)
    {
        var mock = new CloudflareMock(configure);
        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "custom_hostnames?page=1&per_page=50").Respond(_ => CloudflareMock.Ok(Listing, CloudflareMock.Page(1, 1)));
        return mock;
    }

    public static TheoryData<PurgeRequest, string> Bodies() => new()
    {
        { PurgeRequest.ForUrls("/a.css", "https://static.example.com/b.js?v=2"), "{\"files\":[\"https://www.example.com/a.css\",\"https://static.example.com/a.css\",\"https://static.example.com/b.js?v=2\"]}" },
        { PurgeRequest.ForPrefixes("/blog/"), "{\"prefixes\":[\"www.example.com/blog/\",\"static.example.com/blog/\"]}" },
        { PurgeRequest.ForTags("product-1", "Product 2".Replace(" ", "-", StringComparison.Ordinal)), "{\"tags\":[\"product-1\",\"Product-2\"]}" },
        { PurgeRequest.ForHosts("Static.Example.com"), "{\"hosts\":[\"static.example.com\"]}" },
        { PurgeRequest.ForEverything(), "{\"hosts\":[\"www.example.com\",\"static.example.com\"]}" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task PurgeAsync_EachKind_SendsOneScopedPurgeCacheCall(PurgeRequest request, string body)
    {
        var mock = MockWithService();
        mock.ExpectJson(HttpMethod.Post, CloudflareMock.ZonePath + "purge_cache", body).Respond(_ => CloudflareMock.Ok("{\"id\":\"p-1\"}"));

        var result = await mock.Provider.PurgeAsync(new ServiceReference("svc-1"), request);

        mock.Verify();
        Assert.Equal(["p-1"], result.VendorPurgeIds);
        Assert.True(result.Completed);
        Assert.Equal(request.Kind == PurgeKind.All ? "purge everything as a purge of the service's hosts" : null, result.Emulation);
    }

    [Fact]
    public async Task PurgeAsync_PathsExpandingPastTheCallLimit_AreSentInSeveralCalls()
    {
        var mock = MockWithService();
        var paths = Enumerable.Range(0, 60).Select(i => $"/p/{i}").ToArray();
        mock.Expect(HttpMethod.Post, CloudflareMock.ZonePath + "purge_cache").With(r => JsonNode.Parse(r.Content!.ReadAsStringAsync().Result)!["files"]!.AsArray().Count == 100).Respond(_ => CloudflareMock.Ok("{\"id\":\"p-1\"}"));
        mock.Expect(HttpMethod.Post, CloudflareMock.ZonePath + "purge_cache").With(r => JsonNode.Parse(r.Content!.ReadAsStringAsync().Result)!["files"]!.AsArray().Count == 20).Respond(_ => CloudflareMock.Ok("{\"id\":\"p-2\"}"));

        var result = await mock.Provider.PurgeAsync(new ServiceReference("svc-1"), PurgeRequest.ForUrls(paths));

        mock.Verify();
        Assert.Equal(["p-1", "p-2"], result.Batches.Select(b => b.VendorPurgeId));
    }

    [Fact]
    public async Task PurgeAsync_Enterprise_Sends500UrlsPerCall()
    {
        var mock = MockWithService(o => o.Plan = CloudflarePlanTier.Enterprise);
        mock.Expect(HttpMethod.Post, CloudflareMock.ZonePath + "purge_cache").With(r => JsonNode.Parse(r.Content!.ReadAsStringAsync().Result)!["files"]!.AsArray().Count == 120).Respond(_ => CloudflareMock.Ok("{\"id\":\"p-1\"}"));

        await mock.Provider.PurgeAsync(new ServiceReference("svc-1"), PurgeRequest.ForUrls(Enumerable.Range(0, 60).Select(i => $"/p/{i}").ToArray()));

        mock.Verify();
    }

    [Theory]
    [InlineData(PurgeKind.Host, "other.example.com")]
    [InlineData(PurgeKind.Url, "https://other.example.com/a.css")]
    public async Task PurgeAsync_ItemOutsideTheService_IsRefusedBeforeThePurgeCall(PurgeKind kind, string item)
    {
        var mock = MockWithService();

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(new ServiceReference("svc-1"), new PurgeRequest { Kind = kind, Items = [item] }));

        Assert.Equal("/items/0", Assert.Single(error.Problems).Path);
        mock.Verify();
    }

    [Fact]
    public async Task PurgeAsync_Soft_IsRefusedWithoutAnyCall()
    {
        var mock = new CloudflareMock();

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(new ServiceReference("svc-1"), PurgeRequest.ForUrls("/a").AsSoft()));

        Assert.Contains(error.Problems, p => p.Path == "/mode");
        mock.Verify();
    }

    [Fact]
    public async Task PurgeAsync_SoftWithTreatSoftPurgeAsHard_PurgesHardAndSaysSo()
    {
        var mock = MockWithService(o => o.TreatSoftPurgeAsHard = true);
        mock.ExpectJson(HttpMethod.Post, CloudflareMock.ZonePath + "purge_cache", "{\"tags\":[\"t\"]}").Respond(_ => CloudflareMock.Ok("{\"id\":\"p-1\"}"));

        var result = await mock.Provider.PurgeAsync(new ServiceReference("svc-1"), PurgeRequest.ForTags("t").AsSoft());

        Assert.Contains("hard purge", result.Emulation, StringComparison.Ordinal);
        mock.Verify();
    }

    [Fact]
    public async Task PurgeAsync_MoreThan100Items_IsRefused()
    {
        var mock = new CloudflareMock();

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(new ServiceReference("svc-1"), PurgeRequest.ForTags(Enumerable.Range(0, 101).Select(i => "t" + i).ToArray())));

        Assert.Contains(error.Problems, p => p.Path == "/items");
        mock.Verify();
    }

    [Fact]
    public async Task PurgeAsync_429WithRetryAfter_ThrowsRateLimitedAtOnce()
    {
        var mock = MockWithService();
        mock.Expect(HttpMethod.Post, CloudflareMock.ZonePath + "purge_cache").Respond(_ =>
        {
            var response = CloudflareMock.Error(429, 971, "Please wait and consider throttling your request speed");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(12));
            return response;
        });

        var error = await Assert.ThrowsAsync<CdnRateLimitedException>(() => mock.Provider.PurgeAsync(new ServiceReference("svc-1"), PurgeRequest.ForTags("t")));

        Assert.Equal((TimeSpan.FromSeconds(12), "971", "8f1c2d3e4f5a6b7c-AMS"), (error.RetryAfter!.Value, error.VendorErrorCode, error.RequestId));
        mock.Verify();
    }

    [Fact]
    public async Task PurgeAsync_429WithRatelimitHeaderOnly_WaitsForItsReset()
    {
        var mock = MockWithService();
        mock.Expect(HttpMethod.Post, CloudflareMock.ZonePath + "purge_cache").Respond(_ =>
        {
            var response = CloudflareMock.Error(429, 971, "Please wait");
            response.Headers.TryAddWithoutValidation("Ratelimit", "\"default\";r=0;t=42");
            response.Headers.TryAddWithoutValidation("Ratelimit-Policy", "\"burst\";q=1200;w=300");
            return response;
        });

        var error = await Assert.ThrowsAsync<CdnRateLimitedException>(() => mock.Provider.PurgeAsync(new ServiceReference("svc-1"), PurgeRequest.ForTags("t")));

        Assert.Equal(TimeSpan.FromSeconds(42), error.RetryAfter);
    }

    [Fact]
    public async Task PurgeAsync_ServiceWithoutHostnames_IsNotFound()
    {
        var mock = new CloudflareMock();
        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "custom_hostnames?page=1&per_page=50").Respond(_ => CloudflareMock.Ok("[]", CloudflareMock.Page(1, 0)));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.PurgeAsync(new ServiceReference("svc-9"), PurgeRequest.ForEverything()));

        Assert.Equal(CdnErrorCode.NotFound, error.ErrorCode);
    }

    [Fact]
    public async Task CompositePurge_FreePlan_PacesBatchesWithTheTokenBucketOnTheFakeClock()
    {
        var h = new CloudflareHarness();
        h.Zone.AutoActivate = true;
        var options = new PoppyClientOptions().AddFlavor("cf", FlavorMode.Mirror, "cloudflare");
        using var client = new PoppyClient([h.Provider], options, timeProvider: h.Time);
        var created = await client.CreateServiceAsync(TestSpecs.Simple() with { FlavorId = "cf" }, "svc-1");
        Assert.True(await created.UpdateStatusAsync());
        var urls = Enumerable.Range(0, 2_700).Select(i => $"/p/{i}").ToArray();

        // Free plan: a bucket of 25 purge calls, 5 more each minute. 27 batches: 25 at once, 2 after one minute.
        var purge = client.PurgeAsync("svc-1", PurgeRequest.ForUrls(urls));
        await Eventually.TrueAsync(() => h.Zone.Purges.Count == 25);
        Assert.False(purge.IsCompleted);
        await h.Time.AdvanceWhenWaitedOnAsync(TimeSpan.FromMinutes(1));

        var report = await purge;
        Assert.True(report.IsSuccess, report.ToString());
        Assert.Equal(27, h.Zone.Purges.Count);
        Assert.Equal(urls.Select(u => "https://www.example.com" + u).Order(), h.Zone.Purges.SelectMany(p => p["files"]!.AsArray().Select(f => (string)f!)).Order());
    }
}
