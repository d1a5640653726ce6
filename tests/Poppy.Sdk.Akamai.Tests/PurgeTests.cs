using System.Net;
using RichardSzalay.MockHttp;
using static Poppy.Sdk.Akamai.Tests.AkamaiMock;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class PurgeTests
{
    private static readonly ServiceReference Service = new(ServiceId, PropertyId);

    private static MockedRequest ExpectCcu(AkamaiMock m, string path, string body, string? answer = null) =>
        m.Expect(HttpMethod.Post, "ccu/v3/" + path).WithContent(body).Respond(_ => Json(answer ?? PurgeAccepted, HttpStatusCode.Created));

    private static void ExpectTarget(AkamaiMock m, bool cpCode, params string[] domains)
    {
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, 1, 1)));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(1, "e", [.. domains.Select(d => (d, "CPS_MANAGED"))])));
        if (cpCode)
        {
            m.Papi(HttpMethod.Get, "cpcodes").Respond(_ => Json("""{"cpcodes":{"items":[{"cpcodeId":"cpc_555","cpcodeName":"poppy-svc-1"}]}}"""));
        }
    }

    [Fact]
    public async Task PurgeAsync_FullUrlsHard_DeletesByUrlOnProduction()
    {
        var m = new AkamaiMock();
        ExpectCcu(m, "delete/url/production", """{"objects":["https://www.example.com/a.png","http://www.example.com/b.css"]}""");

        var result = await m.Provider.PurgeAsync(Service, PurgeRequest.ForUrls("https://www.example.com/a.png", "http://www.example.com/b.css"));

        m.Verify();
        Assert.True(result.Completed);
        Assert.Equal(["edcp-1"], result.VendorPurgeIds);
        Assert.Single(result.Batches);
    }

    [Fact]
    public async Task PurgeAsync_PathsSoft_InvalidatesTheUrlOnEveryDomain()
    {
        var m = new AkamaiMock();
        ExpectTarget(m, false, "www.example.com", "img.example.com");
        ExpectCcu(m, "invalidate/url/production", """{"objects":["https://www.example.com/a.png","https://img.example.com/a.png"]}""");

        await m.Provider.PurgeAsync(Service, PurgeRequest.ForUrls("/a.png").AsSoft());

        m.Verify();
    }

    [Fact]
    public async Task PurgeAsync_Tags_DeletesByTag()
    {
        var m = new AkamaiMock();
        ExpectCcu(m, "delete/tag/production", """{"objects":["product-1","home"]}""");

        await m.Provider.PurgeAsync(Service, PurgeRequest.ForTags("product-1", "home"));

        m.Verify();
    }

    [Fact]
    public async Task PurgeAsync_Everything_PurgesTheServicesCpCode()
    {
        var m = new AkamaiMock();
        ExpectTarget(m, true, "www.example.com");
        ExpectCcu(m, "delete/cpcode/production", """{"objects":[555]}""");

        var result = await m.Provider.PurgeAsync(Service, PurgeRequest.ForEverything());

        m.Verify();
        Assert.Contains("CP code", result.Emulation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PurgeAsync_EverythingWithASharedCpCode_PurgesTheServicesCacheTag()
    {
        var m = new AkamaiMock(o => o.CpCodeId = 777);
        ExpectCcu(m, "delete/tag/production", """{"objects":["poppy-svc-1"]}""");

        var result = await m.Provider.PurgeAsync(Service, PurgeRequest.ForEverything());

        m.Verify();
        Assert.Contains("cache tag", result.Emulation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PurgeAsync_StagingOnlyProvider_PurgesStaging()
    {
        var m = new AkamaiMock(o => o.Networks = AkamaiActivationNetworks.Staging);
        ExpectCcu(m, "delete/tag/staging", """{"objects":["t"]}""");
        await m.Provider.PurgeAsync(Service, PurgeRequest.ForTags("t"));
        m.Verify();
    }

    [Fact]
    public async Task PurgeAsync_AccountSwitchKey_IsSentAsQuery()
    {
        var m = new AkamaiMock(o => o.AccountSwitchKey = "1-ABCD:1-2345");
        m.Expect(HttpMethod.Post, "ccu/v3/delete/tag/production?accountSwitchKey=1-ABCD%3A1-2345").Respond(_ => Json(PurgeAccepted, HttpStatusCode.Created));
        await m.Provider.PurgeAsync(Service, PurgeRequest.ForTags("t"));
        m.Verify();
    }

    [Theory]
    [InlineData(PurgeKind.Prefix, "/images/")]
    [InlineData(PurgeKind.Host, "www.example.com")]
    public async Task PurgeAsync_KindFastPurgeLacks_RejectedWithoutACall(PurgeKind kind, string item)
    {
        var m = new AkamaiMock();
        var e = await Assert.ThrowsAsync<CdnValidationException>(() => m.Provider.PurgeAsync(Service, new PurgeRequest { Kind = kind, Items = [item] }));
        Assert.NotEmpty(e.Problems);
        m.Verify();
    }

    [Theory]
    [InlineData("has\"quote")]
    [InlineData("semi;colon")]
    [InlineData("brace}")]
    public async Task PurgeAsync_TagAkamaiRefuses_RejectedWithoutACall(string tag)
    {
        var m = new AkamaiMock();
        var e = await Assert.ThrowsAsync<CdnValidationException>(() => m.Provider.PurgeAsync(Service, PurgeRequest.ForTags(tag)));
        Assert.Equal("/items/0", Assert.Single(e.Problems).Path);
        m.Verify();
    }

    [Fact]
    public async Task PurgeAsync_OverTheBatchSize_Rejected()
    {
        var m = new AkamaiMock();
        var urls = Enumerable.Range(0, 501).Select(i => $"https://www.example.com/{i}").ToArray();
        await Assert.ThrowsAsync<CdnValidationException>(() => m.Provider.PurgeAsync(Service, PurgeRequest.ForUrls(urls)));
        m.Verify();
    }

    [Fact]
    public async Task PurgeAsync_BodyOver50000Bytes_SplitIntoBodiesUnderTheLimit()
    {
        var m = new AkamaiMock();
        var urls = Enumerable.Range(0, 500).Select(i => $"https://www.example.com/{new string('a', 180)}/{i:000}").ToArray();
        var bodies = new List<string>();
        m.Expect(HttpMethod.Post, "ccu/v3/delete/url/production").Respond(r => { bodies.Add(r.Content!.ReadAsStringAsync().Result); return Json(PurgeAccepted, HttpStatusCode.Created); });
        m.Expect(HttpMethod.Post, "ccu/v3/delete/url/production").Respond(r => { bodies.Add(r.Content!.ReadAsStringAsync().Result); return Json(PurgeAccepted, HttpStatusCode.Created); });
        m.Expect(HttpMethod.Post, "ccu/v3/delete/url/production").Respond(r => { bodies.Add(r.Content!.ReadAsStringAsync().Result); return Json(PurgeAccepted, HttpStatusCode.Created); });

        var result = await m.Provider.PurgeAsync(Service, PurgeRequest.ForUrls(urls));

        m.Verify();
        Assert.Equal(3, result.Batches.Count);
        Assert.All(bodies, b => Assert.True(System.Text.Encoding.UTF8.GetByteCount(b) <= 50_000));
        Assert.Equal(urls, result.Batches.SelectMany(b => b.Items));
    }

    [Fact]
    public async Task PurgeAsync_TagBudgetSpent_RefusedWithTheWaitThenAcceptedOnTheClock()
    {
        var m = new AkamaiMock();
        var tags = Enumerable.Range(0, 500).Select(i => "t" + i).ToArray();
        for (var i = 0; i < 10; i++)
        {
            m.Expect(HttpMethod.Post, "ccu/v3/delete/tag/production").Respond(_ => Json(PurgeAccepted, HttpStatusCode.Created));
        }

        for (var i = 0; i < 10; i++)
        {
            await m.Provider.PurgeAsync(Service, PurgeRequest.ForTags(tags));
        }

        // 5,000 tags is the bucket; it refills 500 a minute, so 500 more fit after 60 s — and not a request is sent before.
        var refused = await Assert.ThrowsAsync<CdnRateLimitedException>(() => m.Provider.PurgeAsync(Service, PurgeRequest.ForTags(tags)));
        Assert.Equal(TimeSpan.FromSeconds(60), refused.RetryAfter);
        m.Verify();

        m.Time.Advance(TimeSpan.FromSeconds(59));
        await Assert.ThrowsAsync<CdnRateLimitedException>(() => m.Provider.PurgeAsync(Service, PurgeRequest.ForTags(tags)));
        m.Time.Advance(TimeSpan.FromSeconds(1));
        m.Expect(HttpMethod.Post, "ccu/v3/delete/tag/production").Respond(_ => Json(PurgeAccepted, HttpStatusCode.Created));
        await m.Provider.PurgeAsync(Service, PurgeRequest.ForTags(tags));
        m.Verify();
        Assert.Contains(m.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3208);
    }

    [Fact]
    public async Task PurgeAsync_BudgetIsSharedByProvidersOfTheSameAccount()
    {
        var first = new AkamaiMock();
        var second = new AkamaiMock(o => o.ClientToken = first.ClientToken);
        for (var i = 0; i < 100; i++)
        {
            first.Expect(HttpMethod.Post, "ccu/v3/delete/tag/production").Respond(_ => Json(PurgeAccepted, HttpStatusCode.Created));
        }

        for (var i = 0; i < 100; i++)
        {
            await first.Provider.PurgeAsync(Service, PurgeRequest.ForTags("t"));
        }

        // 100 requests is the account's request bucket: the other provider of the same API client is refused too.
        var refused = await Assert.ThrowsAsync<CdnRateLimitedException>(() => second.Provider.PurgeAsync(Service, PurgeRequest.ForTags("t")));
        Assert.Equal(TimeSpan.FromMilliseconds(20), refused.RetryAfter);
        second.Verify();
    }

    [Fact]
    public async Task PurgeAsync_Ccu429_RateLimitedWithRetryAfterAtOnce()
    {
        var m = new AkamaiMock();
        m.Expect(HttpMethod.Post, "ccu/v3/delete/tag/production").Respond(_ => Json("""{"supportId":"edup-1","title":"Tag Rate Limit exceeded","httpStatus":429,"describedBy":"https://techdocs.akamai.com/purge-cache/reference/api-errors","detail":"","rateLimit":5000,"rateLimitCurrentRequestSize":10,"rateLimitRemaining":4}""", (HttpStatusCode)429));

        var e = await Assert.ThrowsAsync<CdnRateLimitedException>(() => m.Provider.PurgeAsync(Service, PurgeRequest.ForTags("t")));

        Assert.Equal(TimeSpan.FromSeconds(5), e.RetryAfter);
        Assert.True(e.IsTransient);
        Assert.Equal("edup-1", e.RequestId);
        Assert.Contains("Tag Rate Limit exceeded", e.Message, StringComparison.Ordinal);
    }
}
