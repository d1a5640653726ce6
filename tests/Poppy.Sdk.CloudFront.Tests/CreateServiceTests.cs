using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class CreateServiceTests
{
    private static readonly string ArnQuery = Uri.EscapeDataString(CloudFrontMock.Arn);

    [Fact]
    public async Task Create_PostsConfigWithTags_ThenPollsUntilDeployed()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple);
        var expectedBody = CloudFrontXml.DistributionConfigWithTags(
            CloudFrontXml.ReadDistributionConfig(CloudFrontXml.Root(config, "DistributionConfig")),
            [.. CloudFrontTranslator.Tags(CloudFrontMock.ServiceId, TestSpecs.Normalize(TestSpecs.Simple)), KeyValuePair.Create("poppy:stage", "created")]);
        mock.Expect(HttpMethod.Post, "distribution?WithTags")
            .With(r => r.Content!.Headers.ContentType!.MediaType == "text/xml" && ReadBody(r) == expectedBody)
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), HttpStatusCode.Created, "E1TAG"));
        mock.Expect(HttpMethod.Get, "distribution/" + CloudFrontMock.DistributionId).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), etag: "E1TAG"));
        mock.Expect(HttpMethod.Get, "distribution/" + CloudFrontMock.DistributionId).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "E1TAG"));

        var operation = await mock.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, TestSpecs.Simple);

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
        var config = mock.ConfigXml(TestSpecs.Simple);
        mock.Expect(HttpMethod.Post, "distribution?WithTags").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), HttpStatusCode.Created, "E1TAG"));

        var operation = await mock.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, TestSpecs.Simple);

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
        var config = mock.ConfigXml(TestSpecs.Simple);
        mock.Expect(HttpMethod.Post, "distribution?WithTags").Respond(_ => CloudFrontMock.Error(HttpStatusCode.Conflict, "DistributionAlreadyExists",
            "The caller reference that you are using to create a distribution is associated with another distribution. Already exists: " + CloudFrontMock.DistributionId));
        mock.Expect(HttpMethod.Get, $"distribution/{CloudFrontMock.DistributionId}/config").Respond(_ => CloudFrontMock.Xml(config, etag: "ETAG-1"));
        mock.Expect(HttpMethod.Put, $"distribution/{CloudFrontMock.DistributionId}/config").WithHeaders("If-Match", "ETAG-1")
            .With(r => ReadBody(r) == config)
            .Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), etag: "ETAG-2"));
        mock.ExpectTagRefresh(TestSpecs.Simple);
        mock.ExpectNoFunction();

        var operation = await mock.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, TestSpecs.Simple);

        Assert.Equal("cloudfront:create:" + CloudFrontMock.DistributionId, operation.Id);
        mock.Verify();
    }

    private static string ReadBody(HttpRequestMessage r) => r.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
}
