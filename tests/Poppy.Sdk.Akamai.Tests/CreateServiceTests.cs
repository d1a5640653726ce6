using System.Net;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;
using static Poppy.Sdk.Akamai.Tests.AkamaiMock;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class CreateServiceTests
{
    internal static void ExpectCreateUpToActivation(AkamaiMock m, ServiceSpec spec)
    {
        m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").WithHeaders("PAPI-Use-Prefixes", "true")
            .WithContent("""{"propertyName":"poppy-svc-1"}""").Respond(_ => Json(FindByValue()));
        m.Papi(HttpMethod.Get, "cpcodes").Respond(_ => Json("""{"cpcodes":{"items":[{"cpcodeId":"cpc_9","cpcodeName":"someone-else"}]}}"""));
        m.Papi(HttpMethod.Post, "cpcodes").WithContent("""{"productId":"prd_Fresca","cpcodeName":"poppy-svc-1"}""")
            .Respond(_ => Json(Link("cpcodeLink", "cpcodes/cpc_555"), HttpStatusCode.Created));
        m.Papi(HttpMethod.Get, "edgehostnames").Respond(_ => Json("""{"edgeHostnames":{"items":[]}}"""));
        m.Papi(HttpMethod.Post, "edgehostnames")
            .WithContent("""{"productId":"prd_Fresca","domainPrefix":"poppy-svc-1","domainSuffix":"edgesuite.net","secureNetwork":"STANDARD_TLS","ipVersionBehavior":"IPV4"}""")
            .Respond(_ => Json(Link("edgeHostnameLink", "edgehostnames/ehn_1"), HttpStatusCode.Created));
        m.Papi(HttpMethod.Post, "properties").WithContent("""{"productId":"prd_Fresca","propertyName":"poppy-svc-1","ruleFormat":"v2025-01-13"}""")
            .Respond(_ => Json(Link("propertyLink", "properties/prp_100"), HttpStatusCode.Created));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/rules").Respond(_ => Json(Rules(1, "e1")));
        var plan = m.Translator;
        var rules = new System.Text.Json.Nodes.JsonObject { ["rules"] = plan.Rules(ServiceId, Normalize(spec), 555), ["comments"] = "poppy:service_id=svc-1" }.ToJsonString();
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/1/rules").WithHeaders("If-Match", "\"e1\"")
            .With(r => r.Content!.Headers.ContentType!.MediaType == "application/vnd.akamai.papirules.v2025-01-13+json")
            .WithContent(rules)
            .Respond(_ => Json(Rules(1, "e2")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").WithHeaders("If-Match", "\"e2\"")
            .WithContent($$"""[{"cnameType":"EDGE_HOSTNAME","cnameFrom":"{{spec.Domains[0].Domain}}","cnameTo":"poppy-svc-1.edgesuite.net","certProvisioningType":"CPS_MANAGED"}]""")
            .Respond(_ => Json(Hostnames(1, "e3", (spec.Domains[0].Domain, "CPS_MANAGED"))));
    }

    internal static ServiceSpec Normalize(ServiceSpec spec) => Validation.ServiceSpecValidator.Validate(spec).GetNormalizedOrThrow();

    internal static void ExpectActivationSubmitted(AkamaiMock m, string network, string activationId, int version = 1, string? listed = null)
    {
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(listed ?? Activations()));
        m.Papi(HttpMethod.Post, "properties/prp_100/activations")
            .WithContent($$"""{"propertyVersion":{{version}},"network":"{{network}}","activationType":"ACTIVATE","notifyEmails":["ops@example.com"],"note":"poppy:service_id=svc-1","acknowledgeAllWarnings":true}""")
            .Respond(_ => Json(Link("activationLink", "properties/prp_100/activations/" + activationId), HttpStatusCode.Created));
    }

    [Fact]
    public async Task CreateServiceAsync_NewService_SendsEveryCallWithExactBodiesAndSubmitsStaging()
    {
        var m = new AkamaiMock();
        ExpectCreateUpToActivation(m, TestSpecs.Simple());
        ExpectActivationSubmitted(m, "STAGING", "atv_1");

        var operation = await m.Provider.CreateServiceAsync(ServiceId, TestSpecs.Simple());

        m.Verify();
        Assert.False(operation.HasCompleted);
        Assert.Equal("akamai:create:prp_100:1", operation.Id);
        Assert.Contains("STAGING", operation.StatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateServiceAsync_ActivationPolls_StagingThenProductionHonouringRetryAfter()
    {
        var m = new AkamaiMock();
        ExpectCreateUpToActivation(m, TestSpecs.Simple());
        ExpectActivationSubmitted(m, "STAGING", "atv_1");
        var operation = await m.Provider.CreateServiceAsync(ServiceId, TestSpecs.Simple());

        m.Papi(HttpMethod.Get, "properties/prp_100/activations/atv_1").Respond(_ => Json(Activation("atv_1", 1, "STAGING", "PENDING"), retryAfter: "30"));
        await operation.UpdateStatusAsync();
        Assert.False(operation.HasCompleted);
        Assert.Equal(TimeSpan.FromSeconds(30), operation.SuggestedPollingDelay);

        m.Papi(HttpMethod.Get, "properties/prp_100/activations/atv_1").Respond(_ => Json(Activation("atv_1", 1, "STAGING", "ACTIVE")));
        ExpectActivationSubmitted(m, "PRODUCTION", "atv_2", listed: Activations(("atv_1", 1, "STAGING", "ACTIVATE", "ACTIVE")));
        await operation.UpdateStatusAsync();
        Assert.False(operation.HasCompleted);
        Assert.Contains("PRODUCTION", operation.StatusDescription, StringComparison.Ordinal);

        m.Papi(HttpMethod.Get, "properties/prp_100/activations/atv_1").Respond(_ => Json(Activation("atv_1", 1, "STAGING", "ACTIVE")));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations/atv_2").Respond(_ => Json(Activation("atv_2", 1, "PRODUCTION", "ACTIVE")));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(1, "e3", ("www.example.com", "CPS_MANAGED"))));
        await operation.UpdateStatusAsync();

        m.Verify();
        Assert.True(operation.HasCompleted);
        var details = ((CdnOperation<ProviderServiceDetails>)operation).Value;
        Assert.Equal(ProviderStatus.Deployed, details.Status);
        Assert.Equal("prp_100", details.VendorServiceId);
        Assert.Equal([new AccessUrl("www.example.com", EdgeHostname)], details.AccessUrls);
    }

    [Fact]
    public async Task WaitForCompletionAsync_PendingActivation_WaitsRetryAfterOnTheClock()
    {
        var m = new AkamaiMock(o => o.Networks = AkamaiActivationNetworks.Staging);
        ExpectCreateUpToActivation(m, TestSpecs.Simple());
        ExpectActivationSubmitted(m, "STAGING", "atv_1");
        var operation = await m.Provider.CreateServiceAsync(ServiceId, TestSpecs.Simple());
        m.Papi(HttpMethod.Get, "properties/prp_100/activations/atv_1").Respond(_ => Json(Activation("atv_1", 1, "STAGING", "PENDING"), retryAfter: "45"));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations/atv_1").Respond(_ => Json(Activation("atv_1", 1, "STAGING", "ACTIVE")));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(1, "e3", ("www.example.com", "CPS_MANAGED"))));

        var wait = operation.WaitForCompletionAsync();

        // The wait polls at once (PENDING, Retry-After 45), then waits the 45 s PAPI asked for, not the 60 s interval.
        await m.Time.WaitForTimerAsync(TimeSpan.FromSeconds(45));
        Assert.False(wait.IsCompleted);
        m.Time.Advance(TimeSpan.FromSeconds(45));
        await wait;
        m.Verify();
        Assert.True(operation.HasCompleted);
    }

    [Fact]
    public async Task CreateServiceAsync_PropertyAlreadyExists_ConvergesInsteadOfCreating()
    {
        var m = new AkamaiMock();
        m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(_ => Json(FindByValue((PropertyId, PropertyName, 1))));
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, null, null)));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1").Respond(_ => Json(Version(1, "e1")));
        m.Papi(HttpMethod.Get, "cpcodes").Respond(_ => Json("""{"cpcodes":{"items":[{"cpcodeId":"cpc_555","cpcodeName":"poppy-svc-1"}]}}"""));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/rules").Respond(_ => Json(Rules(1, "e1")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/1/rules").WithHeaders("If-Match", "\"e1\"").Respond(_ => Json(Rules(1, "e2")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").WithHeaders("If-Match", "\"e2\"").Respond(_ => Json(Hostnames(1, "e3", ("www.example.com", "CPS_MANAGED"))));
        ExpectActivationSubmitted(m, "STAGING", "atv_1");

        var operation = await m.Provider.CreateServiceAsync(ServiceId, TestSpecs.Simple());

        m.Verify();
        Assert.Equal("akamai:create:prp_100:1", operation.Id);
    }

    [Fact]
    public async Task CreateServiceAsync_ActivationAlreadyActive422_CountsAsDone()
    {
        var m = new AkamaiMock(o => o.Networks = AkamaiActivationNetworks.Production);
        ExpectCreateUpToActivation(m, TestSpecs.Simple());
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations()));
        m.Papi(HttpMethod.Post, "properties/prp_100/activations").Respond(_ => Problem((HttpStatusCode)422, "https://problems.luna.akamaiapis.net/papi/v0/activation/already-active", "Activation Unprocessable", "Version 1 is already active on PRODUCTION."));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(1, "e3", ("www.example.com", "CPS_MANAGED"))));

        var operation = await m.Provider.CreateServiceAsync(ServiceId, TestSpecs.Simple());

        m.Verify();
        Assert.True(operation.HasCompleted);
        Assert.Null(operation.Error);
    }

    [Fact]
    public async Task CreateServiceAsync_ActivationFails_OperationFails()
    {
        var m = new AkamaiMock(o => o.Networks = AkamaiActivationNetworks.Staging);
        ExpectCreateUpToActivation(m, TestSpecs.Simple());
        ExpectActivationSubmitted(m, "STAGING", "atv_1");
        var operation = await m.Provider.CreateServiceAsync(ServiceId, TestSpecs.Simple());
        m.Papi(HttpMethod.Get, "properties/prp_100/activations/atv_1").Respond(_ => Json(Activation("atv_1", 1, "STAGING", "FAILED")));

        await operation.UpdateStatusAsync();

        Assert.True(operation.HasCompleted);
        var error = Assert.IsType<CdnRequestFailedException>(operation.Error);
        Assert.Contains("FAILED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateServiceAsync_InvalidSpec_ThrowsWithoutAnyCall()
    {
        var m = new AkamaiMock();
        var spec = TestSpecs.Simple() with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("q", "/search?q=*")] }] };

        var e = await Assert.ThrowsAsync<CdnValidationException>(() => m.Provider.CreateServiceAsync(ServiceId, spec));

        Assert.Contains(e.Problems, p => p.Path == "/origins/0/rules/0/request_url");
        m.Verify();
    }

    [Fact]
    public async Task CreateServiceAsync_GivenCpCode_CreatesNoCpCode()
    {
        var m = new AkamaiMock(o => { o.CpCodeId = 777; o.Networks = AkamaiActivationNetworks.Staging; });
        m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(_ => Json(FindByValue()));
        m.Papi(HttpMethod.Get, "edgehostnames").Respond(_ => Json("""{"edgeHostnames":{"items":[{"edgeHostnameId":"ehn_1","edgeHostnameDomain":"poppy-svc-1.edgesuite.net"}]}}"""));
        m.Papi(HttpMethod.Post, "properties").Respond(_ => Json(Link("propertyLink", "properties/prp_100"), HttpStatusCode.Created));
        m.Papi(HttpMethod.Get, "properties/prp_100/versions/1/rules").Respond(_ => Json(Rules(1, "e1")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/1/rules").With(r => r.Content!.ReadAsStringAsync().Result.Contains("\"cpCode\",\"options\":{\"value\":{\"id\":777}}", StringComparison.Ordinal)).Respond(_ => Json(Rules(1, "e2")));
        m.Papi(HttpMethod.Put, "properties/prp_100/versions/1/hostnames", "includeCertStatus=true").Respond(_ => Json(Hostnames(1, "e3", ("www.example.com", "CPS_MANAGED"))));
        ExpectActivationSubmitted(m, "STAGING", "atv_1");

        await m.Provider.CreateServiceAsync(ServiceId, TestSpecs.Simple());

        m.Verify();
    }
}
