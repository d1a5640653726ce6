using System.Text.Json.Nodes;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;
using static Poppy.Sdk.Akamai.Tests.AkamaiMock;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class GetServiceTests
{
    private static readonly ServiceReference Service = new(ServiceId, PropertyId);

    internal static string DeployedRules(AkamaiMock m, ServiceSpec spec, Func<JsonObject, JsonObject>? edit = null)
    {
        var rules = m.Translator.Rules(ServiceId, CreateServiceTests.Normalize(spec), 555);
        return (edit?.Invoke(rules) ?? rules).ToJsonString();
    }

    private static void ExpectRead(AkamaiMock m, ServiceSpec spec, int? staging, int? production, Func<JsonObject, JsonObject>? edit = null, string? hostnames = null)
    {
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, staging, production)));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/rules").Respond(_ => Json(Rules(1, "e1", DeployedRules(m, spec, edit))));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true")
            .Respond(_ => Json(hostnames ?? Hostnames(1, "e2", [.. spec.Domains.Select(d => (d.Domain, d.Certificate == CertificateKind.Sni ? "DEFAULT" : "CPS_MANAGED"))])));
    }

    [Fact]
    public async Task GetServiceAsync_DeployedAndInSync_ReturnsTheManifestWithoutDrift()
    {
        var m = new AkamaiMock();
        ExpectRead(m, TestSpecs.Full(), 1, 1);

        var service = await m.Provider.GetServiceAsync(Service);

        m.Verify();
        Assert.NotNull(service);
        Assert.Equal(ProviderStatus.Deployed, service.Details.Status);
        Assert.Equal(CreateServiceTests.Normalize(TestSpecs.Full()), service.Spec);
        Assert.Empty(service.Drift);
        Assert.Equal(EdgeHostname, service.Details.AccessUrls[0].ProviderUrl);
    }

    [Fact]
    public async Task GetServiceAsync_RuleTreeEditedOutsidePoppy_RebuildsAndReportsDrift()
    {
        var m = new AkamaiMock();
        ExpectRead(m, TestSpecs.Full(), 1, 1, rules =>
        {
            var caching = rules["behaviors"]!.AsArray().Single(b => (string?)b!["name"] == "caching")!;
            caching["options"]!["ttl"] = "2h";
            return rules;
        });

        var service = await m.Provider.GetServiceAsync(Service);

        Assert.NotNull(service);
        var drift = Assert.Single(service.Drift);
        Assert.Equal("/caching/0/ttl", drift.Path);
        Assert.Equal(7200, service.Spec.Caching![0].Ttl);
        Assert.Equal(CreateServiceTests.Normalize(TestSpecs.Full()).Restrictions, service.Spec.Restrictions);
        Assert.Contains(m.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3209);
    }

    [Fact]
    public async Task GetServiceAsync_RebuiltWithoutManifest_ReadsOriginsCachingAndRestrictions()
    {
        var m = new AkamaiMock();
        ExpectRead(m, TestSpecs.Full(), 1, 1, rules =>
        {
            rules["comments"] = "poppy:service_id=svc-1";
            return rules;
        });

        var service = await m.Provider.GetServiceAsync(Service);

        Assert.NotNull(service);
        Assert.Empty(service.Drift);
        var spec = service.Spec;
        Assert.Equal(["origin.example.net", "images.example.net"], spec.Origins.Select(o => o.Origin));
        Assert.Equal(8080, spec.Origins[0].Port);
        Assert.Equal(HostHeaderType.Origin, spec.Origins[0].HostHeaderType);
        Assert.Equal((443, true, HostHeaderType.Custom, "img.example.org"), (spec.Origins[1].Port, spec.Origins[1].Ssl, spec.Origins[1].HostHeaderType, spec.Origins[1].HostHeaderValue));
        Assert.Equal(["/images/*"], spec.Origins[1].Rules.Select(r => r.RequestUrl));
        Assert.Equal([3600, 0, 604_800], spec.Caching!.Select(c => c.Ttl));
        Assert.Equal(RestrictionAccess.Whitelist, spec.Restrictions[0].Access);
        Assert.Equal(["example.com", "partner.example.org"], spec.Restrictions[0].Rules.Select(r => r.Referrer));
        Assert.Equal(RestrictionAccess.Blacklist, spec.Restrictions[1].Access);
        Assert.Contains(spec.Restrictions[1].Rules, r => r.Geography == "CN" && r.RequestUrl == "/videos/*");
        Assert.Contains(spec.Restrictions[1].Rules, r => r.ClientIp == "192.0.2.0/24" && r.RequestUrl == "/*");
    }

    [Fact]
    public async Task GetServiceAsync_NeverActivated_IsCreateInProgress()
    {
        var m = new AkamaiMock();
        ExpectRead(m, TestSpecs.Simple(), null, null);

        var service = await m.Provider.GetServiceAsync(Service);

        Assert.Equal(ProviderStatus.CreateInProgress, service!.Details.Status);
    }

    [Theory]
    [InlineData(1, null, "CreateInProgress")]
    [InlineData(null, 1, "Deployed")]
    public async Task GetServiceAsync_StagingActiveProductionNot_CreateInProgressUntilProduction(int? staging, int? production, string expected)
    {
        var m = new AkamaiMock();
        ExpectRead(m, TestSpecs.Simple(), staging, production);

        var service = await m.Provider.GetServiceAsync(Service);

        Assert.Equal(Enum.Parse<ProviderStatus>(expected), service!.Details.Status);
    }

    [Fact]
    public async Task GetServiceAsync_NewerVersionNotYetOnProduction_UpdateInProgress()
    {
        var m = new AkamaiMock();
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(2, 2, 1)));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/rules").Respond(_ => Json(Rules(1, "e1", DeployedRules(m, TestSpecs.Simple()))));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(1, "e2", ("www.example.com", "CPS_MANAGED"))));

        var service = await m.Provider.GetServiceAsync(Service);

        m.Verify();
        Assert.Equal(ProviderStatus.UpdateInProgress, service!.Details.Status);
    }

    [Fact]
    public async Task GetServiceAsync_NoProperty_Null()
    {
        var m = new AkamaiMock();
        m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(_ => Json(FindByValue()));

        Assert.Null(await m.Provider.GetServiceAsync(new ServiceReference(ServiceId)));
    }

    [Fact]
    public async Task GetServiceAsync_SecureByDefaultHostname_ReportsCertificateStatusAndValidationRecord()
    {
        var m = new AkamaiMock(o => o.EdgeHostnameDomain = AkamaiCdnProviderOptions.EdgeKey);
        var hostnames = """{"etag":"e2","hostnames":{"items":[{"cnameType":"EDGE_HOSTNAME","cnameFrom":"secure.example.com","cnameTo":"poppy-svc-1.edgekey.net","certProvisioningType":"DEFAULT","certStatus":{"validationCname":{"hostname":"_acme-challenge.secure.example.com","target":"abc.secure.example.com.akamai-domain.com"},"staging":[{"status":"DEPLOYED"}],"production":[{"status":"PENDING"}]}}]}}""";
        ExpectRead(m, TestSpecs.Https(), 1, 1, hostnames: hostnames);
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, 1, 1)));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(hostnames));

        var service = await m.Provider.GetServiceAsync(Service);
        var records = await m.Provider.GetCertificateValidationRecordsAsync(Service);

        m.Verify();
        Assert.Equal(CertificateStatus.CreateInProgress, service!.Details.CertificateStatuses["secure.example.com"]);
        Assert.Equal("poppy-svc-1.edgekey.net", service.Details.AccessUrls[0].ProviderUrl);
        Assert.Equal([new AkamaiValidationRecord("secure.example.com", "_acme-challenge.secure.example.com", "abc.secure.example.com.akamai-domain.com")], records);
    }
}
