using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class UpdateServiceTests
{
    private static readonly string ArnQuery = Uri.EscapeDataString(CloudFrontMock.Arn);

    [Fact]
    public async Task Update_PreconditionFailedOnce_RereadsAndRetries()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Get, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Xml(config, etag: "A"));
        mock.Expect(HttpMethod.Put, $"distribution/{id}/config").WithHeaders("If-Match", "A").Respond(_ => CloudFrontMock.Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed", "The precondition given in one or more of the request-header fields evaluated to false."));
        mock.Expect(HttpMethod.Get, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Xml(config, etag: "B"));
        mock.Expect(HttpMethod.Put, $"distribution/{id}/config").WithHeaders("If-Match", "B").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "InProgress"), etag: "C"));
        mock.ExpectTagRefresh(TestSpecs.Simple);
        mock.ExpectNoFunction();

        var operation = await mock.Provider.UpdateServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, id), TestSpecs.Simple);

        Assert.Equal("cloudfront:update:" + id, operation.Id);
        mock.Verify();
    }

    [Fact]
    public async Task Update_PreconditionFailedTwice_FailsClearly()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        for (var i = 0; i < 2; i++)
        {
            mock.Expect(HttpMethod.Get, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Xml(config, etag: "A"));
            mock.Expect(HttpMethod.Put, $"distribution/{id}/config").Respond(_ => CloudFrontMock.Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed"));
        }

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.UpdateServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, id), TestSpecs.Simple));

        Assert.Equal(CdnErrorCode.PreconditionFailed, ex.ErrorCode);
        Assert.Contains("changed twice", ex.Message, StringComparison.Ordinal);
        mock.Verify();
    }

    [Fact]
    public async Task Update_DistributionOfAnotherService_IsRefused()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple, c => c.CallerReference = "someone-else");
        mock.Expect(HttpMethod.Get, $"distribution/{CloudFrontMock.DistributionId}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.UpdateServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, CloudFrontMock.DistributionId), TestSpecs.Simple));

        Assert.Equal(CdnErrorCode.Conflict, ex.ErrorCode);
        mock.Verify();
    }

    private static string CallerReference(string body) => CloudFrontXml.Root(body, "InvalidationBatch").Required("CallerReference");
}
