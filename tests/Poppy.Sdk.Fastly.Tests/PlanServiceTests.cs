using System.Net;
using System.Text.Json;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

/// <summary>The offline plan: every Fastly rule is reported by PlanService, and CreateServiceAsync refuses the spec before any call.</summary>
public class PlanServiceTests
{
    private sealed class Offline
    {
        private int _sent;

        public Offline(Action<FastlyCdnProviderOptions>? configure = null)
        {
            var http = new MockHttpMessageHandler();
            http.Fallback.Respond(_ =>
            {
                Interlocked.Increment(ref _sent);
                return new HttpResponseMessage(HttpStatusCode.InternalServerError);
            });
            var options = new FastlyCdnProviderOptions { ApiToken = FastlyMock.Token };
            configure?.Invoke(options);
            Provider = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(options, http), options);
        }

        public FastlyCdnProvider Provider { get; }

        public int Sent => Volatile.Read(ref _sent);
    }

    private static ServiceSpec With(Func<ServiceSpec, ServiceSpec> change) => change(TestSpecs.Normalize(TestSpecs.Minimal()));

    /// <summary>One spec per Fastly rule: the spec, the path the problem names, and options when the rule depends on them.</summary>
    public static TheoryData<string, ServiceSpec, string, string?> Rules() => new()
    {
        { "certificate other than shared", With(s => s with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.San)] }), "/domains/0/certificate", null },
        { "log delivery", With(s => s with { LogDelivery = new LogDelivery { Enabled = true } }), "/log_delivery/enabled", null },
        { "domain under the shared certificate domain", With(s => s with { Domains = [new DomainSpec("shop.global.ssl.fastly.net")] }), "/domains/0/domain", null },
        { "shared host too long", With(s => s with { Domains = [new DomainSpec("mysite", DomainProtocol.Https, CertificateKind.Shared)] }), "/domains/0/domain", string.Join('.', Enumerable.Repeat(new string('a', 60), 5)) },
        { "query in an origin rule", With(s => s with { Origins = [s.Origins[0], new OriginSpec("images.example.net") { Rules = [new PathRule("q", "/img?size=1")] }] }), "/origins/1/rules/0/request_url", null },
        { "fragment in a caching rule", With(s => s with { Caching = [new CachingRule("frag", 60, new PathRule("f", "/page#top"))] }), "/caching/0/rules/0/request_url", null },
        { "query in a restriction rule", With(s => s with { Restrictions = [new Restriction("r", RestrictionAccess.Blacklist, RestrictionRule.ForReferrer("bad.example.org", "/a?b"))] }), "/restrictions/0/rules/0/request_url", null },
        { "unknown geography", With(s => s with { Restrictions = [new Restriction("g", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("Atlantis"))] }), "/restrictions/0/rules/0/geography", null },
        { "client IP that is not one", With(s => s with { Restrictions = [new Restriction("i", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("300.1.2.3"))] }), "/restrictions/0/rules/0/client_ip", null },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void PlanService_FastlyRule_ReportsTheProblemWithPathProviderAndRemedy(string rule, ServiceSpec spec, string path, string? sharedDomain)
    {
        var offline = new Offline(o => o.SharedCertificateDomain = sharedDomain ?? o.SharedCertificateDomain);

        var plan = offline.Provider.PlanService(spec);

        Assert.False(plan.IsValid, rule);
        Assert.Empty(plan.Documents);
        var problem = Assert.Single(plan.Problems, p => p.Path == path);
        Assert.Equal("fastly", problem.Provider);
        Assert.False(string.IsNullOrWhiteSpace(problem.Remedy), $"{rule}: no remedy");
        Assert.Equal(0, offline.Sent);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task CreateServiceAsync_FastlyRule_ThrowsBeforeAnyCall(string rule, ServiceSpec spec, string path, string? sharedDomain)
    {
        var offline = new Offline(o => o.SharedCertificateDomain = sharedDomain ?? o.SharedCertificateDomain);

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => offline.Provider.CreateServiceAsync("svc-1", spec));

        Assert.Contains(error.Problems, p => p.Path.StartsWith(path[..path.LastIndexOf('/')], StringComparison.Ordinal));
        Assert.Equal(0, offline.Sent);
        Assert.True(offline.Provider.PlanService(spec).Problems.Count > 0, rule);
    }

    [Fact]
    public async Task UpdateServiceAsync_FastlyRule_ThrowsBeforeAnyCall()
    {
        var offline = new Offline();
        var spec = With(s => s with { Domains = [new DomainSpec("shop.global.ssl.fastly.net")] });

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => offline.Provider.UpdateServiceAsync(new ServiceReference("svc-1", FastlyMock.VendorId), spec));

        Assert.Equal("/domains/0/domain", Assert.Single(error.Problems).Path);
        Assert.Equal(0, offline.Sent);
    }

    [Fact]
    public void PlanService_SeveralRules_ReportsEveryProblemAtOnce()
    {
        var spec = With(s => s with
        {
            Domains = [new DomainSpec("shop.global.ssl.fastly.net"), new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.Custom)],
            Caching = [new CachingRule("q", 60, new PathRule("q", "/a?b"))],
        });

        var plan = new Offline().Provider.PlanService(spec);

        Assert.Equal(["/caching/0/rules/0/request_url", "/domains/0/domain", "/domains/1/certificate"], plan.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.StartsWith("3 problem(s)", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanService_ValidSpec_ReturnsTheFastlyObjectsAsJson()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Rich());

        var plan = new Offline().Provider.PlanService(spec);

        Assert.True(plan.IsValid);
        Assert.Equal("fastly", plan.Provider);
        Assert.Equal(["domain", "backend", "condition", "cache_settings", "response_object", "acl", "settings", "version"], plan.Documents.Select(d => d.Name));
        Assert.All(plan.Documents, d => Assert.Equal("application/json", d.MediaType));
        Assert.Equal("one Fastly VCL service: 2 domain(s), 2 backend(s), 4 condition(s), 2 cache setting(s), 1 response object(s), 1 ACL(s), default TTL 3600 s", plan.Summary);

        using var domains = JsonDocument.Parse(plan.Documents[0].Content);
        Assert.Equal(["www.example.com", "mysite.global.ssl.fastly.net"], domains.RootElement.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        using var backends = JsonDocument.Parse(plan.Documents[1].Content);
        var images = backends.RootElement[1];
        Assert.Equal("poppy-origin-1", images.GetProperty("name").GetString());
        Assert.Equal("images.example.net", images.GetProperty("address").GetString());
        Assert.Equal(80, images.GetProperty("port").GetInt32());
        Assert.False(images.GetProperty("use_ssl").GetBoolean());
        Assert.Equal("img.example.com", images.GetProperty("override_host").GetString());
        Assert.Equal("poppy-origin-1-route", images.GetProperty("request_condition").GetString());
        using var acl = JsonDocument.Parse(plan.Documents[5].Content);
        var entry = acl.RootElement[0].GetProperty("entries")[0];
        Assert.Equal(("203.0.113.0", 24, 0), (entry.GetProperty("ip").GetString(), entry.GetProperty("subnet").GetInt32(), entry.GetProperty("negated").GetInt32()));
        using var settings = JsonDocument.Parse(plan.Documents[6].Content);
        Assert.Equal(3600, settings.RootElement.GetProperty("general.default_ttl").GetInt32());
        using var version = JsonDocument.Parse(plan.Documents[7].Content);
        Assert.Equal(spec, Poppy.Sdk.Internal.SpecManifest.FromComment(version.RootElement.GetProperty("comment").GetString()));
    }

    [Fact]
    public async Task CreateServiceAsync_SendsWhatThePlanShows()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Minimal());
        var mock = new FastlyMock();
        var plan = mock.Provider.PlanService(spec);
        using var backends = JsonDocument.Parse(plan.Documents.Single(d => d.Name == "backend").Content);
        var backend = backends.RootElement[0];
        mock.ExpectSearch(null);
        mock.ExpectForm(HttpMethod.Post, "service", ("name", "poppy-svc-1"), ("comment", "poppy:service_id=svc-1"), ("type", "vcl"))
            .RespondJson(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: false, locked: false))));
        mock.ExpectForm(HttpMethod.Post, $"service/{FastlyMock.VendorId}/version/1/domain", ("name", "www.example.com")).RespondJson("""{"name":"www.example.com"}""");
        mock.ExpectForm(
            HttpMethod.Post,
            $"service/{FastlyMock.VendorId}/version/1/backend",
            ("name", backend.GetProperty("name").GetString()!),
            ("address", backend.GetProperty("address").GetString()!),
            ("port", backend.GetProperty("port").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("use_ssl", "false"))
            .RespondJson("{}");
        mock.ExpectForm(HttpMethod.Put, FastlyMock.V(1) + "/settings", ("general.default_ttl", "86400")).RespondJson("{}");
        var comment = JsonDocument.Parse(plan.Documents.Single(d => d.Name == "version").Content).RootElement.GetProperty("comment").GetString()!;
        mock.ExpectForm(HttpMethod.Put, FastlyMock.V(1), ("comment", comment)).RespondJson(FastlyJson.Version(1, false, false));
        mock.Expect(HttpMethod.Get, FastlyMock.V(1) + "/validate").RespondJson("""{"status":"ok"}""");
        mock.Expect(HttpMethod.Put, FastlyMock.V(1) + "/activate").RespondJson(FastlyJson.Version(1, true, true));

        await mock.Provider.CreateServiceAsync("svc-1", spec);

        mock.Verify();
    }
}
