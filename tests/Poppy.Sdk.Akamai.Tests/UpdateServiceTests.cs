using System.Net;
using RichardSzalay.MockHttp;
using static Poppy.Sdk.Akamai.Tests.AkamaiMock;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class UpdateServiceTests
{
    private static readonly ServiceReference Service = new(ServiceId, PropertyId);

    private static void ExpectNewVersion(AkamaiMock m)
    {
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, 1, 1)));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1").Respond(_ => Json(Version(1, "v1e", "ACTIVE", "ACTIVE")));
        m.Papi(HttpMethod.Post, "properties/prp_100/versions").WithContent("""{"createFromVersion":1,"createFromVersionEtag":"v1e"}""")
            .Respond(_ => Json(Link("versionLink", "properties/prp_100/versions/2"), HttpStatusCode.Created));
        m.Papi(HttpMethod.Get, "cpcodes").Respond(_ => Json("""{"cpcodes":{"items":[{"cpcodeId":"cpc_555","cpcodeName":"poppy-svc-1"}]}}"""));
    }

    [Fact]
    public async Task UpdateServiceAsync_ActiveVersion_CreatesVersionFromItWithEtagEditsWithIfMatchAndActivates()
    {
        var m = new AkamaiMock();
        ExpectNewVersion(m);
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/2/rules").Respond(_ => Json(Rules(2, "e1")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/rules").WithHeaders("If-Match", "\"e1\"").Respond(_ => Json(Rules(2, "e2")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/hostnames", "includeCertStatus=true").WithHeaders("If-Match", "\"e2\"")
            .WithContent("""[{"cnameType":"EDGE_HOSTNAME","cnameFrom":"new.example.com","cnameTo":"poppy-svc-1.edgesuite.net","certProvisioningType":"CPS_MANAGED"}]""")
            .Respond(_ => Json(Hostnames(2, "e3", ("new.example.com", "CPS_MANAGED"))));
        CreateServiceTests.ExpectActivationSubmitted(m, "STAGING", "atv_3", version: 2);

        var operation = await m.Provider.UpdateServiceAsync(Service, TestSpecs.Simple("new.example.com"));

        m.Verify();
        Assert.Equal("akamai:update:prp_100:2", operation.Id);
        Assert.False(operation.HasCompleted);
    }

    [Fact]
    public async Task UpdateServiceAsync_RulesAnswer412_ReReadsAndRetriesOnce()
    {
        var m = new AkamaiMock();
        ExpectNewVersion(m);
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/2/rules").Respond(_ => Json(Rules(2, "stale")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/rules").WithHeaders("If-Match", "\"stale\"").Respond(_ => Problem(HttpStatusCode.PreconditionFailed, "https://problems.luna.akamaiapis.net/papi/v0/precondition-failed", "Precondition failed", "The etag does not match."));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/2/rules").Respond(_ => Json(Rules(2, "fresh")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/rules").WithHeaders("If-Match", "\"fresh\"").Respond(_ => Json(Rules(2, "e2")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/hostnames", "includeCertStatus=true").WithHeaders("If-Match", "\"e2\"").Respond(_ => Json(Hostnames(2, "e3", ("www.example.com", "CPS_MANAGED"))));
        CreateServiceTests.ExpectActivationSubmitted(m, "STAGING", "atv_3", version: 2);

        await m.Provider.UpdateServiceAsync(Service, TestSpecs.Simple());

        m.Verify();
        Assert.Contains(m.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3205);
    }

    [Fact]
    public async Task UpdateServiceAsync_RulesAnswer409Busy_WaitsOnTheClockAndRetriesOnce()
    {
        var m = new AkamaiMock();
        ExpectNewVersion(m);
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/2/rules").Respond(_ => Json(Rules(2, "e1")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/rules").Respond(_ => Problem(HttpStatusCode.Conflict, "https://problems.luna.akamaiapis.net/papi/v0/resource-busy", "Resource busy", "Another edit or activation is in progress."));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/rules").WithHeaders("If-Match", "\"e1\"").Respond(_ => Json(Rules(2, "e2")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(2, "e3", ("www.example.com", "CPS_MANAGED"))));
        CreateServiceTests.ExpectActivationSubmitted(m, "STAGING", "atv_3", version: 2);

        var update = m.Provider.UpdateServiceAsync(Service, TestSpecs.Simple());
        await m.Time.WaitForTimerAsync(TimeSpan.FromSeconds(10));
        Assert.False(update.IsCompleted);
        m.Time.Advance(TimeSpan.FromSeconds(10));
        await update;

        m.Verify();
    }

    [Fact]
    public async Task UpdateServiceAsync_LatestVersionNeverActivated_EditsItInPlace()
    {
        var m = new AkamaiMock();
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(2, 1, 1)));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/2").Respond(_ => Json(Version(2, "v2e")));
        m.Papi(HttpMethod.Get, "cpcodes").Respond(_ => Json("""{"cpcodes":{"items":[{"cpcodeId":"cpc_555","cpcodeName":"poppy-svc-1"}]}}"""));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/2/rules").Respond(_ => Json(Rules(2, "e1")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/rules").Respond(_ => Json(Rules(2, "e2")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/2/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(2, "e3", ("www.example.com", "CPS_MANAGED"))));
        CreateServiceTests.ExpectActivationSubmitted(m, "STAGING", "atv_3", version: 2);

        await m.Provider.UpdateServiceAsync(Service, TestSpecs.Simple());

        m.Verify();
    }

    [Fact]
    public async Task UpdateServiceAsync_PropertyNotPoppys_RefusedWithoutWrites()
    {
        var m = new AkamaiMock();
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, 1, 1, name: "www.example.com")));

        var e = await Assert.ThrowsAsync<CdnRequestFailedException>(() => m.Provider.UpdateServiceAsync(Service, TestSpecs.Simple()));

        m.Verify();
        Assert.Equal(409, e.Status);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task UpdateServiceAsync_NoProperty_NotFound()
    {
        var m = new AkamaiMock();
        m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(_ => Json(FindByValue()));

        var e = await Assert.ThrowsAsync<CdnRequestFailedException>(() => m.Provider.UpdateServiceAsync(new ServiceReference(ServiceId), TestSpecs.Simple()));

        Assert.Equal(CdnErrorCode.NotFound, e.ErrorCode);
    }
}
