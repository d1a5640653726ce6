using System.Net;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

public class ListServicesTests
{
    [Fact]
    public async Task ListServicesAsync_SeveralPages_FollowsLinkHeadersAndYieldsOnlyStampedServices()
    {
        var mock = new FastlyMock();
        var config = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        var version = FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, config.VersionComment));
        var page1 = "[" + FastlyJson.Service(version) + "," + FastlyJson.Service(version, comment: "not poppy's", id: "OTHER1", name: "marketing") + "]";
        var page2 = "[" + FastlyJson.Service(version, comment: "", id: "OTHER2", name: "blog") + "]";
        mock.Expect(HttpMethod.Get, "service?page=1&per_page=100&sort=created&direction=ascend")
            .Respond(HttpStatusCode.OK, [new KeyValuePair<string, string>("Link", "<https://api.fastly.com/service?page=2&per_page=100>; rel=\"next\", <https://api.fastly.com/service?page=2&per_page=100>; rel=\"last\"")], "application/json", page1);
        mock.ExpectReadVersion(1, config);
        mock.Expect(HttpMethod.Get, "service?page=2&per_page=100&sort=created&direction=ascend")
            .Respond(HttpStatusCode.OK, [new KeyValuePair<string, string>("Link", "<https://api.fastly.com/service?page=1&per_page=100>; rel=\"first\"")], "application/json", page2);

        var services = new List<ProviderService>();
        await foreach (var s in mock.Provider.ListServicesAsync())
        {
            services.Add(s);
        }

        mock.Verify();
        var only = Assert.Single(services);
        Assert.Equal("svc-1", only.Details.ServiceId);
        Assert.Equal(FastlyMock.VendorId, only.Details.VendorServiceId);
        Assert.Equal(TestSpecs.Normalize(TestSpecs.Minimal()), only.Spec);
    }

    [Fact]
    public async Task ListServicesAsync_NoLinkHeader_StopsAtAShortPage()
    {
        var mock = new FastlyMock();
        mock.Expect(HttpMethod.Get, "service?page=1&per_page=100&sort=created&direction=ascend").RespondJson("[]");

        var count = 0;
        await foreach (var unused in mock.Provider.ListServicesAsync())
        {
            count++;
        }

        mock.Verify();
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task ListServicesAsync_StopAfterFirstItem_DoesNotFetchTheNextPage()
    {
        var mock = new FastlyMock();
        var config = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        var version = FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, config.VersionComment));
        mock.Expect(HttpMethod.Get, "service?page=1&per_page=100&sort=created&direction=ascend")
            .Respond(HttpStatusCode.OK, [new KeyValuePair<string, string>("Link", "<https://api.fastly.com/service?page=2>; rel=\"next\"")], "application/json", "[" + FastlyJson.Service(version) + "]");
        mock.ExpectReadVersion(1, config);

        await foreach (var unused in mock.Provider.ListServicesAsync())
        {
            break;
        }

        // Page 2 was never requested: the strict mock would have thrown on it.
        mock.Verify();
    }
}
