using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class DeleteServiceTests
{
    private static readonly string ArnQuery = Uri.EscapeDataString(CloudFrontMock.Arn);

    [Fact]
    public async Task Delete_DisablesWaitsForDeployedThenDeletesWithFreshETag()
    {
        var mock = new CloudFrontMock();
        var enabled = mock.ConfigXml(TestSpecs.Simple);
        var disabled = mock.ConfigXml(TestSpecs.Simple, c => c.Enabled = false);
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

    private static string ReadBody(HttpRequestMessage r) => r.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
}
