using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class GetServiceTests
{
    private static readonly string ArnQuery = Uri.EscapeDataString(CloudFrontMock.Arn);

    [Fact]
    public async Task Get_ReadsBackTheManifestSpec()
    {
        var mock = new CloudFrontMock();
        var spec = TestSpecs.Normalize(TestSpecs.Simple);
        var config = mock.ConfigXml(TestSpecs.Simple);
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
    public async Task Get_TtlChangedOutsidePoppy_ReportsDrift()
    {
        var mock = new CloudFrontMock();
        var spec = TestSpecs.Normalize(TestSpecs.Simple);
        var edited = mock.ConfigXml(TestSpecs.Simple, c => c.DefaultCacheBehavior.DefaultTtl = 60);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(edited, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Get, "tagging?Resource=" + ArnQuery).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.TagsXml(CloudFrontTranslator.Tags(CloudFrontMock.ServiceId, spec))));

        var service = await mock.Provider.GetServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, id));

        Assert.Equal([new SpecDifference("/caching/0/ttl", "3600", "60")], service!.Drift);
        Assert.Equal(60, service.Spec.Caching![0].Ttl);
        mock.Verify();
    }

    [Fact]
    public async Task Get_NoManifest_RebuildsTheSpec_DriftUnknown()
    {
        var mock = new CloudFrontMock();
        var config = mock.ConfigXml(TestSpecs.Simple);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(config, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Get, "tagging?Resource=" + ArnQuery).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.TagsXml([])));

        var service = await mock.Provider.GetServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, id));

        Assert.Empty(service!.Drift);
        Assert.Equal(["www.example.com"], service.Spec.Domains.Select(d => d.Domain));
        Assert.Equal(CloudFrontMock.ServiceId, service.Spec.Name);
        mock.Verify();
    }
}
