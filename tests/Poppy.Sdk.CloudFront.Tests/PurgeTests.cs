using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class PurgeTests
{
    private static readonly string ArnQuery = Uri.EscapeDataString(CloudFrontMock.Arn);

    [Fact]
    public async Task Purge_PrefixesAreWildcards_BatchedBy15()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple);
        var id = CloudFrontMock.DistributionId;
        var prefixes = Enumerable.Range(0, 20).Select(i => $"/p{i}/").ToArray();
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Post, $"distribution/{id}/invalidation").With(r => ReadBody(r).Contains("<Quantity>15</Quantity>", StringComparison.Ordinal) && ReadBody(r).Contains("<Path>/p0/*</Path>", StringComparison.Ordinal))
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.InvalidationXml("I1", "InProgress"), HttpStatusCode.Created));
        mock.Expect(HttpMethod.Post, $"distribution/{id}/invalidation").With(r => ReadBody(r).Contains("<Quantity>5</Quantity>", StringComparison.Ordinal) && ReadBody(r).Contains("<Path>/p19/*</Path>", StringComparison.Ordinal))
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.InvalidationXml("I2", "InProgress"), HttpStatusCode.Created));
        mock.Expect(HttpMethod.Get, $"distribution/{id}/invalidation/I1").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.InvalidationXml("I1", "Completed")));
        mock.Expect(HttpMethod.Get, $"distribution/{id}/invalidation/I2").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.InvalidationXml("I2", "Completed")));

        var result = await mock.Provider.PurgeAsync(new ServiceReference(CloudFrontMock.ServiceId, id), PurgeRequest.ForPrefixes(prefixes));

        Assert.False(result.Completed);
        Assert.Equal(["I1", "I2"], result.VendorPurgeIds);
        Assert.Equal([15, 5], result.Batches.Select(b => b.Items.Count));
        Assert.Equal("prefix as wildcard path '/prefix*'", result.Emulation);
        Assert.Equal("cloudfront:purge:" + id + ":I1,I2", result.Completion!.Id);
        Assert.True(await result.Completion.UpdateStatusAsync());
        mock.Verify();
    }

    [Fact]
    public async Task Purge_TooManyInProgress_RateLimitedAtOnce_WithoutWaiting()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Post, $"distribution/{id}/invalidation")
            .Respond(_ => CloudFrontMock.Error(HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress", "Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations."));

        // No clock is advanced: the call must end by itself, without waiting for room.
        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => mock.Provider.PurgeAsync(new ServiceReference(CloudFrontMock.ServiceId, id), PurgeRequest.ForEverything()));

        Assert.Equal(mock.Options.InvalidationRetryInterval, ex.RetryAfter);
        Assert.True(ex.IsTransient);
        Assert.Equal("TooManyInvalidationsInProgress", ex.VendorErrorCode);
        Assert.Contains("0 of 1 invalidation(s) of this batch were accepted", ex.Message, StringComparison.Ordinal);
        mock.Verify();
    }

    [Fact]
    public async Task Purge_SecondInvalidationRefused_SaysWhichWereAccepted_AndResubmissionReusesTheirReferences()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple);
        var id = CloudFrontMock.DistributionId;
        var prefixes = Enumerable.Range(0, 20).Select(i => $"/p{i}/").ToArray();
        var request = PurgeRequest.ForPrefixes(prefixes) with { IdempotencyKey = "batch-7" };
        var references = new List<string>();
        void ExpectAttempt(bool room)
        {
            mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
            mock.Expect(HttpMethod.Post, $"distribution/{id}/invalidation").With(r => Record(references, r))
                .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.InvalidationXml("I1", "InProgress"), HttpStatusCode.Created));
            mock.Expect(HttpMethod.Post, $"distribution/{id}/invalidation").With(r => Record(references, r))
                .Respond(_ => room ? CloudFrontMock.Xml(CloudFrontMock.InvalidationXml("I2", "InProgress"), HttpStatusCode.Created) : CloudFrontMock.Error(HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress"));
        }

        var target = new ServiceReference(CloudFrontMock.ServiceId, id);
        ExpectAttempt(room: false);
        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => mock.Provider.PurgeAsync(target, request));
        Assert.Contains("1 of 2 invalidation(s) of this batch were accepted (I1)", ex.Message, StringComparison.Ordinal);

        // The caller resubmits the same batch: CloudFront answers the first invalidation from its caller reference.
        ExpectAttempt(room: true);
        var result = await mock.Provider.PurgeAsync(target, request);

        Assert.Equal(["I1", "I2"], result.VendorPurgeIds);
        Assert.Equal(["batch-7", "batch-7/2", "batch-7", "batch-7/2"], references);
        mock.Verify();
    }

    [Fact]
    public async Task Purge_IdempotencyKey_IsTheCallerReference()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Post, $"distribution/{id}/invalidation").With(r => CallerReference(ReadBody(r)) == "purge-op-1:cloudfront:0" && ReadBody(r).Contains("<Path>/a.css</Path>", StringComparison.Ordinal))
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.InvalidationXml("I1", "InProgress"), HttpStatusCode.Created));

        var result = await mock.Provider.PurgeAsync(new ServiceReference(CloudFrontMock.ServiceId, id), PurgeRequest.ForUrls("https://www.example.com/a.css") with { IdempotencyKey = "purge-op-1:cloudfront:0" });

        Assert.Equal(["I1"], result.VendorPurgeIds);
        Assert.NotNull(result.Emulation);
        mock.Verify();
    }

    [Fact]
    public async Task Purge_TagWithoutCacheTagHeader_IsUnsupported()
    {
        var mock = new CloudFrontMock();
        var ex = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.PurgeAsync(new ServiceReference(CloudFrontMock.ServiceId, CloudFrontMock.DistributionId), PurgeRequest.ForTags("product-1")));
        Assert.Contains(ex.Problems, p => p.Path == "/kind");
    }

    [Fact]
    public async Task Purge_Tags_SentAsHashPaths()
    {
        var mock = new CloudFrontMock(o => o.CacheTagHeaderName = "Cache-Tag");
        var config = mock.ConfigXml(TestSpecs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Post, $"distribution/{id}/invalidation").With(r => ReadBody(r).Contains("<Path>#product-1</Path>", StringComparison.Ordinal))
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.InvalidationXml("I1", "InProgress"), HttpStatusCode.Created));

        var result = await mock.Provider.PurgeAsync(new ServiceReference(CloudFrontMock.ServiceId, id), PurgeRequest.ForTags("product-1"));

        Assert.Equal(["I1"], result.VendorPurgeIds);
        mock.Verify();
    }

    [Fact]
    public void Batch_RespectsPathAndWildcardLimits()
    {
        var paths = Enumerable.Range(0, 3100).Select(i => "/f" + i).Concat(Enumerable.Range(0, 16).Select(i => $"/w{i}/*")).ToList();
        var batches = CloudFrontPurger.Batch(paths);
        Assert.All(batches, b => Assert.True(b.Count <= 3000 && b.Count(p => p.EndsWith('*')) <= 15));
        Assert.Equal(paths, batches.SelectMany(b => b));
    }

    [Fact]
    public void CallerReference_WithoutKey_SameBatchSameMinute_Same_OtherwiseDifferent()
    {
        var a = CloudFrontPurger.CallerReference(null, "E1", ["/a"], 100, 0);
        Assert.Equal(a, CloudFrontPurger.CallerReference(null, "E1", ["/a"], 100, 0));
        Assert.NotEqual(a, CloudFrontPurger.CallerReference(null, "E1", ["/a"], 101, 0));
        Assert.NotEqual(a, CloudFrontPurger.CallerReference(null, "E1", ["/b"], 100, 0));
        Assert.NotEqual(a, CloudFrontPurger.CallerReference(null, "E2", ["/a"], 100, 0));
    }

    [Fact]
    public void CallerReference_WithKey_IsTheKey_AnyMinute() =>
        Assert.Equal(
            ["k", "k", "k/2"],
            [CloudFrontPurger.CallerReference("k", "E1", ["/a"], 100, 0), CloudFrontPurger.CallerReference("k", "E1", ["/a"], 999, 0), CloudFrontPurger.CallerReference("k", "E1", ["/b"], 100, 1)]);

    private static string ReadBody(HttpRequestMessage r) => r.Content!.ReadAsStringAsync().GetAwaiter().GetResult();

    private static bool Record(List<string> references, HttpRequestMessage request)
    {
        references.Add(CallerReference(ReadBody(request)));
        return true;
    }

    private static string CallerReference(string body) => CloudFrontXml.Root(body, "InvalidationBatch").Required("CallerReference");
}
