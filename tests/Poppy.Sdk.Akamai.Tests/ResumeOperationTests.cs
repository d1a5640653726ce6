using RichardSzalay.MockHttp;
using static Poppy.Sdk.Akamai.Tests.AkamaiMock;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class ResumeOperationTests
{
    [Fact]
    public async Task ResumeOperationAsync_CreateId_ListsActivationsAndCarriesOn()
    {
        var m = new AkamaiMock(o => o.Networks = AkamaiActivationNetworks.Staging);
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations(("atv_1", 1, "STAGING", "ACTIVATE", "PENDING"))));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations/atv_1").Respond(_ => Json(Activation("atv_1", 1, "STAGING", "ACTIVE")));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(1, "e", ("www.example.com", "CPS_MANAGED"))));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/rules").Respond(_ => Json(Rules(1, "e1", GetServiceTests.DeployedRules(m, TestSpecs.Simple()))));

        var operation = await m.Provider.ResumeOperationAsync("akamai:create:prp_100:1");
        Assert.False(operation.HasCompleted);
        await operation.UpdateStatusAsync();

        m.Verify();
        Assert.True(operation.HasCompleted);
        var details = ((CdnOperation<ProviderServiceDetails>)operation).Value;
        Assert.Equal(ServiceId, details.ServiceId);
        Assert.Equal(ProviderStatus.Deployed, details.Status);
    }

    [Fact]
    public async Task ResumeOperationAsync_DeleteId_CarriesOnWithTheDelete()
    {
        var m = new AkamaiMock();
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => (Json("{}", System.Net.HttpStatusCode.NotFound)));

        var operation = await m.Provider.ResumeOperationAsync("akamai:delete:prp_100:svc-1");

        Assert.True(operation.HasCompleted);
        Assert.Equal(new ServiceReference(ServiceId, PropertyId), ((CdnOperation<ServiceReference>)operation).Value);
    }

    [Fact]
    public async Task ResumeOperationAsync_DeleteWithoutProperty_CompletesAtOnce()
    {
        var m = new AkamaiMock();
        var operation = await m.Provider.ResumeOperationAsync("akamai:delete:none:svc-1");
        Assert.True(operation.HasCompleted);
        m.Verify();
    }

    [Theory]
    [InlineData("fastly:create:abc:1")]
    [InlineData("akamai:create:prp_100")]
    [InlineData("akamai:update:prp_100:x")]
    [InlineData("akamai:delete:prp_100")]
    [InlineData("akamai:purge:prp_100:1")]
    public async Task ResumeOperationAsync_ForeignOrMalformedId_ArgumentException(string id)
    {
        var m = new AkamaiMock();
        await Assert.ThrowsAsync<ArgumentException>(() => m.Provider.ResumeOperationAsync(id));
        m.Verify();
    }
}
