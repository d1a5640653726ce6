using RichardSzalay.MockHttp;
using static Poppy.Sdk.Akamai.Tests.AkamaiMock;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class ListServicesTests
{
    [Fact]
    public async Task ListServicesAsync_OnlyStampedProperties_ReadLazily()
    {
        var m = new AkamaiMock();
        m.Papi(HttpMethod.Get, "properties").Respond(_ => Json("""{"properties":{"items":[{"propertyId":"prp_200","propertyName":"www.other.com","latestVersion":3,"productionVersion":3},{"propertyId":"prp_100","propertyName":"poppy-svc-1","latestVersion":1,"stagingVersion":1,"productionVersion":1}]}}"""));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/rules").Respond(_ => Json(Rules(1, "e1", GetServiceTests.DeployedRules(m, TestSpecs.Simple()))));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(1, "e2", ("www.example.com", "CPS_MANAGED"))));

        var enumerator = m.Provider.ListServicesAsync().GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        var service = enumerator.Current;
        Assert.False(await enumerator.MoveNextAsync());

        m.Verify();
        Assert.Equal(ServiceId, service.Details.ServiceId);
        Assert.Equal(PropertyId, service.Details.VendorServiceId);
        Assert.Equal("My site", service.Spec.Name);
    }

    [Fact]
    public async Task ListServicesAsync_NotEnumerated_SendsNothing()
    {
        var m = new AkamaiMock();
        _ = m.Provider.ListServicesAsync();
        await Task.Yield();
        m.Verify();
        Assert.Equal(0, m.Http.GetMatchCount(m.Http.When("*")));
    }

    [Fact]
    public async Task VerifyAccessAsync_ListsTheGroupsPropertiesOnce_ReadingNoRuleTree()
    {
        var m = new AkamaiMock();
        var list = m.Papi(HttpMethod.Get, "properties");
        list.Respond(_ => Json("""{"properties":{"items":[{"propertyId":"prp_100","propertyName":"poppy-svc-1","latestVersion":1,"productionVersion":1}]}}"""));

        // Any other request (a version or rule tree read) would hit the mock's fallback and fail the call.
        await ((ICdnProvider)m.Provider).VerifyAccessAsync();

        Assert.Equal(1, m.Http.GetMatchCount(list));
    }
}
