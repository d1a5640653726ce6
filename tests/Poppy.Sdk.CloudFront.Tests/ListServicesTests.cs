using Poppy.Sdk.CloudFront.Internal;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class ListServicesTests
{
    private static readonly string ArnQuery = Uri.EscapeDataString(CloudFrontMock.Arn);

    [Fact]
    public async Task ListServicesAsync_PagesLazily_SkipsUnstampedAndReportsDrift()
    {
        var mock = new CloudFrontMock();
        var spec = TestSpecs.Normalize(TestSpecs.Simple);
        var edited = mock.ConfigXml(TestSpecs.Simple, c => c.DefaultCacheBehavior.DefaultTtl = 60);
        var id = CloudFrontMock.DistributionId;
        mock.Expect(HttpMethod.Get, "distribution?MaxItems=100").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.ListXml(true, "M1", ("EOTHER", "not poppy"))));
        mock.Expect(HttpMethod.Get, "distribution?MaxItems=100&Marker=M1").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.ListXml(false, null, (id, "poppy:service_id=svc-1"))));
        mock.Expect(HttpMethod.Get, $"distribution/{id}").Respond(_ => CloudFrontMock.Xml(CloudFrontMock.DistributionXml(edited, "Deployed"), etag: "A"));
        mock.Expect(HttpMethod.Get, "tagging?Resource=" + ArnQuery).Respond(_ => CloudFrontMock.Xml(CloudFrontMock.TagsXml(CloudFrontTranslator.Tags(CloudFrontMock.ServiceId, spec))));

        var services = await mock.Provider.ListServicesAsync().ToListAsync();

        var service = Assert.Single(services);
        Assert.Equal(CloudFrontMock.ServiceId, service.Details.ServiceId);
        Assert.Equal([new SpecDifference("/caching/0/ttl", "3600", "60")], service.Drift);
        mock.Verify();
    }
}
