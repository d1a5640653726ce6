using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class ResumeOperationTests
{
    private static readonly string ArnQuery = Uri.EscapeDataString(CloudFrontMock.Arn);

    [Fact]
    public async Task Resume_Delete_CarriesOn()
    {
        var mock = new CloudFrontMock();
        var disabled = mock.ConfigXml(TestSpecs.Simple, c => c.Enabled = false);
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
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(mock.ConfigXml(TestSpecs.Simple), "Deployed"), etag: "C"));

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
    public async Task SecondAccount_IdsCarryItsName_AndItRefusesTheOthersIds()
    {
        var eu = new CloudFrontMock(o => o.Name = "cloudfront-eu");
        var config = eu.ConfigXml(TestSpecs.Simple);
        eu.Expect(HttpMethod.Post, "distribution?WithTags").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), HttpStatusCode.Created, "E1TAG"));
        eu.Expect(HttpMethod.Get, $"distribution/{CloudFrontMock.DistributionId}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "E1TAG"));
        // A resumed deployment knows no spec: the access URLs come from reading the service back.
        eu.Expect(HttpMethod.Get, "tagging?Resource=" + Uri.EscapeDataString(CloudFrontMock.Arn)).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.TagsXml([])));

        var created = await eu.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, TestSpecs.Simple);
        var resumed = await eu.Provider.ResumeOperationAsync(created.Id);

        Assert.Equal("cloudfront-eu:create:" + CloudFrontMock.DistributionId, created.Id);
        Assert.True(resumed.HasCompleted);
        Assert.Equal("cloudfront-eu", ((CdnOperation<ProviderServiceDetails>)resumed).Value.Provider);
        await Assert.ThrowsAsync<ArgumentException>(() => new CloudFrontMock().Provider.ResumeOperationAsync(created.Id));
        eu.Verify();
    }
}
