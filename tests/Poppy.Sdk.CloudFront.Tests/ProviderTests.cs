using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class ProviderTests
{
    private static readonly string ArnQuery = Uri.EscapeDataString(CloudFrontMock.Arn);

    private static string ReadBody(HttpRequestMessage r) => r.Content!.ReadAsStringAsync().GetAwaiter().GetResult();

    [Fact]
    public async Task Create_PostsConfigWithTags_ThenPollsUntilDeployed()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(Specs.Simple);
        var expectedBody = CloudFrontXml.DistributionConfigWithTags(
            CloudFrontXml.ReadDistributionConfig(CloudFrontXml.Root(config, "DistributionConfig")),
            [.. CloudFrontTranslator.Tags(CloudFrontMock.ServiceId, Specs.Normalize(Specs.Simple)), KeyValuePair.Create("poppy:stage", "created")]);
        mock.Expect(HttpMethod.Post, "distribution?WithTags")
            .With(r => r.Content!.Headers.ContentType!.MediaType == "text/xml" && ReadBody(r) == expectedBody)
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), HttpStatusCode.Created, "E1TAG"));
        mock.Expect(HttpMethod.Get, "distribution/" + CloudFrontMock.DistributionId).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), etag: "E1TAG"));
        mock.Expect(HttpMethod.Get, "distribution/" + CloudFrontMock.DistributionId).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "E1TAG"));

        var operation = await mock.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, Specs.Simple);

        Assert.Equal("cloudfront:create:" + CloudFrontMock.DistributionId, operation.Id);
        Assert.False(operation.HasCompleted);
        Assert.Equal(mock.Options.PollingInterval, operation.DefaultPollingInterval);
        Assert.False(await operation.UpdateStatusAsync());
        Assert.True(await operation.UpdateStatusAsync());

        var details = operation.Value;
        Assert.Equal(ProviderStatus.Deployed, details.Status);
        Assert.Equal(CloudFrontMock.DistributionId, details.VendorServiceId);
        Assert.Equal([new AccessUrl("www.example.com", CloudFrontMock.DomainName)], details.AccessUrls);
        mock.Verify();
    }

    [Fact]
    public async Task Create_AnsweredDeployed_IsAlreadyCompleted_WithoutPolling()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(Specs.Simple);
        mock.Expect(HttpMethod.Post, "distribution?WithTags").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), HttpStatusCode.Created, "E1TAG"));

        var operation = await mock.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, Specs.Simple);

        Assert.True(operation.HasCompleted);
        Assert.Equal("cloudfront:create:" + CloudFrontMock.DistributionId, operation.Id);
        Assert.Equal(ProviderStatus.Deployed, operation.Value.Status);
        Assert.True(await operation.UpdateStatusAsync()); // no request: the mock would throw
        mock.Verify();
    }

    [Fact]
    public async Task Create_CallerReferenceExists_ConvergesTheExistingDistribution()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(Specs.Simple);
        mock.Expect(HttpMethod.Post, "distribution?WithTags").Respond(_ => CloudFrontMock.Error(HttpStatusCode.Conflict, "DistributionAlreadyExists",
            "The caller reference that you are using to create a distribution is associated with another distribution. Already exists: " + CloudFrontMock.DistributionId));
        mock.Expect(HttpMethod.Get, $"distribution/{CloudFrontMock.DistributionId}/config").Respond(_ => CloudFrontMock.Xml(config, etag: "ETAG-1"));
        mock.Expect(HttpMethod.Put, $"distribution/{CloudFrontMock.DistributionId}/config").WithHeaders("If-Match", "ETAG-1")
            .With(r => ReadBody(r) == config)
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), etag: "ETAG-2"));
        mock.ExpectTagRefresh(Specs.Simple);
        mock.ExpectNoFunction();

        var operation = await mock.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, Specs.Simple);

        Assert.Equal("cloudfront:create:" + CloudFrontMock.DistributionId, operation.Id);
        mock.Verify();
    }

    [Fact]
    public async Task Update_PreconditionFailedOnce_RereadsAndRetries()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(Specs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Get, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Xml(config, etag: "A"));
        mock.Expect(HttpMethod.Put, $"distribution/{id}/config").WithHeaders("If-Match", "A").Respond(_ => CloudFrontMock.Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed", "The precondition given in one or more of the request-header fields evaluated to false."));
        mock.Expect(HttpMethod.Get, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Xml(config, etag: "B"));
        mock.Expect(HttpMethod.Put, $"distribution/{id}/config").WithHeaders("If-Match", "B").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), etag: "C"));
        mock.ExpectTagRefresh(Specs.Simple);
        mock.ExpectNoFunction();

        var operation = await mock.Provider.UpdateServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, id), Specs.Simple);

        Assert.Equal("cloudfront:update:" + id, operation.Id);
        mock.Verify();
    }

    [Fact]
    public async Task Update_PreconditionFailedTwice_FailsClearly()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(Specs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        for (var i = 0; i < 2; i++)
        {
            mock.Expect(HttpMethod.Get, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Xml(config, etag: "A"));
            mock.Expect(HttpMethod.Put, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed"));
        }

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.UpdateServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, id), Specs.Simple));

        Assert.Equal(CdnErrorCode.PreconditionFailed, ex.ErrorCode);
        Assert.Contains("changed twice", ex.Message, StringComparison.Ordinal);
        mock.Verify();
    }

    [Fact]
    public async Task Update_DistributionOfAnotherService_IsRefused()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(Specs.Simple, c => c.CallerReference = "someone-else");
        mock.Expect(HttpMethod.Get, $"distribution/{CloudFrontMock.DistributionId}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.UpdateServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, CloudFrontMock.DistributionId), Specs.Simple));

        Assert.Equal(CdnErrorCode.Conflict, ex.ErrorCode);
        mock.Verify();
    }

    [Fact]
    public async Task Delete_DisablesWaitsForDeployedThenDeletesWithFreshETag()
    {
        var mock = new CloudFrontMock();
        var enabled = mock.ConfigXml(Specs.Simple);
        var disabled = mock.ConfigXml(Specs.Simple, c => c.Enabled = false);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, "distribution?MaxItems=100").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.ListXml(true, "M1", ("EOTHER", "not poppy"))));
        mock.Expect(HttpMethod.Get, "distribution?MaxItems=100&Marker=M1").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.ListXml(false, null, (id, "poppy:service_id=svc-1"))));
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(enabled, "Deployed"), etag: "A"));
        // Start: observe (enabled), then the Disable transition.
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(enabled, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Get, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Xml(enabled, etag: "A"));
        mock.Expect(HttpMethod.Put, $"distribution/{id}/config").WithHeaders("If-Match", "A").With(r => ReadBody(r) == disabled)
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(disabled, "InProgress"), etag: "B"));
        // Poll: still deploying (reads only). Poll: deployed, so the DeleteDistribution transition with that ETag.
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(disabled, "InProgress"), etag: "B"));
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(disabled, "Deployed"), etag: "C"));
        mock.Expect(HttpMethod.Delete, $"distribution/{id}").WithHeaders("If-Match", "C").Respond(HttpStatusCode.NoContent);
        // Poll: gone, and no function left.
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Error(HttpStatusCode.NotFound, "NoSuchDistribution"));
        mock.ExpectNoFunction();

        var operation = await mock.Provider.DeleteServiceAsync(new ServiceReference(CloudFrontMock.ServiceId));

        Assert.Equal("cloudfront:delete:" + id + ":" + CloudFrontMock.ServiceId, operation.Id);
        Assert.Equal("disabling", operation.StatusDescription);
        Assert.False(await operation.UpdateStatusAsync());
        Assert.Equal("waiting for the disabled distribution to deploy", operation.StatusDescription);
        Assert.False(await operation.UpdateStatusAsync());
        Assert.Equal(TimeSpan.Zero, operation.SuggestedPollingDelay);
        Assert.True(await operation.UpdateStatusAsync());
        Assert.Equal(new ServiceReference(CloudFrontMock.ServiceId, id), Assert.IsAssignableFrom<CdnOperation<ServiceReference>>(operation).Value);
        mock.Verify();
    }

    [Fact]
    public async Task Delete_Missing_CompletesAtOnce()
    {
        var mock = new CloudFrontMock();
        mock.Expect(HttpMethod.Get, $"distribution/{CloudFrontMock.DistributionId}").Respond(_ => CloudFrontMock.Error(HttpStatusCode.NotFound, "NoSuchDistribution", "The specified distribution does not exist."));
        mock.ExpectNoFunction();

        var operation = await mock.Provider.DeleteServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, CloudFrontMock.DistributionId));

        Assert.True(operation.HasCompleted);
        Assert.Equal("cloudfront:delete:none:" + CloudFrontMock.ServiceId, operation.Id);
        Assert.Equal(new ServiceReference(CloudFrontMock.ServiceId), ((CdnOperation<ServiceReference>)operation).Value);
        mock.Verify();
    }

    [Fact]
    public async Task Delete_OnlyTheFunctionLeft_DeletesIt()
    {
        var mock = new CloudFrontMock();
        var name = CloudFrontTranslator.FunctionName(CloudFrontMock.ServiceId);
        var describe = $"<?xml version=\"1.0\"?><FunctionSummary xmlns=\"{CloudFrontMock.Ns}\"><Name>{name}</Name><Status>UNASSOCIATED</Status><FunctionConfig><Comment>c</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionMetadata><FunctionARN>{CloudFrontMock.FunctionArn(name)}</FunctionARN><Stage>DEVELOPMENT</Stage><LastModifiedTime>2026-01-01T00:00:00Z</LastModifiedTime></FunctionMetadata></FunctionSummary>";
        mock.Expect(HttpMethod.Get, "distribution?MaxItems=100").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.ListXml(false, null)));
        mock.Expect(HttpMethod.Get, $"function/{name}/describe?Stage=DEVELOPMENT").Respond(_ => CloudFrontMock.Xml(describe, etag: "F1"));
        mock.Expect(HttpMethod.Delete, $"function/{name}").WithHeaders("If-Match", "F1").Respond(HttpStatusCode.NoContent);
        mock.ExpectNoFunction();

        var operation = await mock.Provider.DeleteServiceAsync(new ServiceReference(CloudFrontMock.ServiceId));
        Assert.False(operation.HasCompleted);
        Assert.True(await operation.UpdateStatusAsync());

        Assert.Equal("cloudfront:delete:none:" + CloudFrontMock.ServiceId, operation.Id);
        mock.Verify();
    }

    [Fact]
    public async Task Resume_Delete_CarriesOn()
    {
        var mock = new CloudFrontMock();
        var disabled = mock.ConfigXml(Specs.Simple, c => c.Enabled = false);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(disabled, "Deployed"), etag: "C"));
        mock.Expect(HttpMethod.Delete, $"distribution/{id}").WithHeaders("If-Match", "C").Respond(HttpStatusCode.NoContent);
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Error(HttpStatusCode.NotFound, "NoSuchDistribution"));
        mock.ExpectNoFunction();

        var operation = await mock.Provider.ResumeOperationAsync($"cloudfront:delete:{id}:{CloudFrontMock.ServiceId}");

        Assert.False(operation.HasCompleted);
        Assert.True(await operation.UpdateStatusAsync());
        mock.Verify();
    }

    [Fact]
    public async Task Resume_DeleteOfAnotherServicesDistribution_IsRefused()
    {
        var mock = new CloudFrontMock();
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(mock.ConfigXml(Specs.Simple), "Deployed"), etag: "C"));

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.ResumeOperationAsync($"cloudfront:delete:{id}:someone-else"));

        Assert.Equal(CdnErrorCode.Conflict, ex.ErrorCode);
        mock.Verify();
    }

    [Theory]
    [InlineData("fastly:create:x:1")]
    [InlineData("cloudfront:create:")]
    [InlineData("cloudfront:purge:E1:")]
    [InlineData("cloudfront:explode:E1")]
    [InlineData("cloudfront:delete:E1")]
    [InlineData("cloudfront:delete:E-1:svc")]
    [InlineData("cloudfront:update:E1:x")]
    [InlineData("cloudfront-eu:create:E1")]
    public async Task Resume_ForeignId_IsRejected(string id) =>
        await Assert.ThrowsAsync<ArgumentException>(() => mock().Provider.ResumeOperationAsync(id));

    private static CloudFrontMock mock() => new();

    [Fact]
    public async Task Get_ReadsBackTheManifestSpec()
    {
        var mock = new CloudFrontMock();
        var spec = Specs.Normalize(Specs.Simple);
        var config = mock.ConfigXml(Specs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Get, "tagging?Resource=" + ArnQuery).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.TagsXml(CloudFrontTranslator.Tags(CloudFrontMock.ServiceId, spec))));

        var service = await mock.Provider.GetServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, id));

        Assert.NotNull(service);
        Assert.Equal(spec, service.Spec);
        Assert.Equal(ProviderStatus.Deployed, service.Details.Status);
        mock.Verify();
    }

    [Fact]
    public async Task Purge_PrefixesAreWildcards_BatchedBy15()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(Specs.Simple);
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
        var config = mock.ConfigXml(Specs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Post, $"distribution/{id}/invalidation")
            .Respond(_ => CloudFrontMock.Error(HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress", "Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations."));

        // No clock is advanced: the call must end by itself, without waiting for room.
        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => mock.Provider.PurgeAsync(new ServiceReference(CloudFrontMock.ServiceId, id), PurgeRequest.ForEverything()));

        Assert.Equal(mock.Options.PollingInterval, ex.RetryAfter);
        Assert.True(ex.IsTransient);
        Assert.Equal("TooManyInvalidationsInProgress", ex.VendorErrorCode);
        Assert.Contains("0 of 1 invalidation(s) of this batch were accepted", ex.Message, StringComparison.Ordinal);
        mock.Verify();
    }

    [Fact]
    public async Task Purge_SecondInvalidationRefused_SaysWhichWereAccepted_AndResubmissionReusesTheirReferences()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(Specs.Simple);
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
        var config = mock.ConfigXml(Specs.Simple);
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
        var config = mock.ConfigXml(Specs.Simple);
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
        var batches = CloudFrontPurge.Batch(paths);
        Assert.All(batches, b => Assert.True(b.Count <= 3000 && b.Count(p => p.EndsWith('*')) <= 15));
        Assert.Equal(paths, batches.SelectMany(b => b));
    }

    [Fact]
    public void CallerReference_WithoutKey_SameBatchSameMinute_Same_OtherwiseDifferent()
    {
        var a = CloudFrontPurge.CallerReference(null, "E1", ["/a"], 100, 0);
        Assert.Equal(a, CloudFrontPurge.CallerReference(null, "E1", ["/a"], 100, 0));
        Assert.NotEqual(a, CloudFrontPurge.CallerReference(null, "E1", ["/a"], 101, 0));
        Assert.NotEqual(a, CloudFrontPurge.CallerReference(null, "E1", ["/b"], 100, 0));
        Assert.NotEqual(a, CloudFrontPurge.CallerReference(null, "E2", ["/a"], 100, 0));
    }

    [Fact]
    public void CallerReference_WithKey_IsTheKey_AnyMinute() =>
        Assert.Equal(
            ["k", "k", "k/2"],
            [CloudFrontPurge.CallerReference("k", "E1", ["/a"], 100, 0), CloudFrontPurge.CallerReference("k", "E1", ["/a"], 999, 0), CloudFrontPurge.CallerReference("k", "E1", ["/b"], 100, 1)]);

    private static bool Record(List<string> references, HttpRequestMessage request)
    {
        references.Add(CallerReference(ReadBody(request)));
        return true;
    }

    private static string CallerReference(string body) => CloudFrontXml.Root(body, "InvalidationBatch").Required("CallerReference");
}
