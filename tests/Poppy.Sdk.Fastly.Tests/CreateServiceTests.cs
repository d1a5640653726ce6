using System.Net;
using Poppy.Sdk.Fastly.Internal;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

public class CreateServiceTests
{
    private const string Id = FastlyMock.VendorId;

    [Fact]
    public async Task CreateServiceAsync_NewService_SendsTheFullSequenceAndActivatesVersion1()
    {
        var mock = new FastlyMock();
        var manifest = Poppy.Sdk.Internal.SpecManifest.ToComment(TestSpecs.Normalize(TestSpecs.Rich()));

        mock.ExpectSearch(null);
        mock.ExpectForm(HttpMethod.Post, "service", ("name", "poppy-svc-1"), ("comment", "poppy:service_id=svc-1"), ("type", "vcl"))
            .RespondJson(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: false, locked: false))));
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/domain", ("name", "www.example.com")).RespondJson("""{"name":"www.example.com"}""");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/domain", ("name", "mysite.global.ssl.fastly.net")).RespondJson("""{"name":"mysite.global.ssl.fastly.net"}""");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/acl", ("name", "poppy_acl_0")).RespondJson("""{"id":"6tUXdegLTf5BCig0zGFrU3","name":"poppy_acl_0"}""");
        mock.ExpectJson(HttpMethod.Patch, $"service/{Id}/acl/6tUXdegLTf5BCig0zGFrU3/entries", """{"entries":[{"op":"create","ip":"203.0.113.0","subnet":24,"negated":0}]}""")
            .RespondJson("""{"status":"ok"}""");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/condition",
            ("name", "poppy-origin-1-route"), ("type", "REQUEST"), ("statement", "req.url.path ~ \"^/images/.*\""), ("priority", "18")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/condition",
            ("name", "poppy-cache-1"), ("type", "CACHE"), ("statement", "req.url.path ~ \"^/images/.*\""), ("priority", "992")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/condition",
            ("name", "poppy-cache-2"), ("type", "CACHE"), ("statement", "req.url.path ~ \"^/api/.*\""), ("priority", "995")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/condition",
            ("name", "poppy-restrictions"), ("type", "REQUEST"),
            ("statement", "(!(client.geo.country_code ~ \"^(US|CA)\\z\")) || (req.url.path ~ \"^/admin/.*\" && client.ip ~ poppy_acl_0) || (!(req.http.Referer ~ \"(?i)^https?://(www\\.example\\.org)(:[0-9]+)?(/|\\z)\"))"),
            ("priority", "10")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/backend",
            ("name", "poppy-origin-0"), ("address", "origin.example.net"), ("port", "443"), ("use_ssl", "true"),
            ("ssl_cert_hostname", "origin.example.net"), ("ssl_sni_hostname", "origin.example.net"), ("override_host", "origin.example.net")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/backend",
            ("name", "poppy-origin-1"), ("address", "images.example.net"), ("port", "80"), ("use_ssl", "false"),
            ("override_host", "img.example.com"), ("request_condition", "poppy-origin-1-route")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/cache_settings",
            ("name", "poppy-cache-1"), ("ttl", "86400"), ("action", "cache"), ("cache_condition", "poppy-cache-1")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/cache_settings",
            ("name", "poppy-cache-2"), ("ttl", "0"), ("action", "pass"), ("cache_condition", "poppy-cache-2")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Post, $"service/{Id}/version/1/response_object",
            ("name", "poppy-forbidden"), ("status", "403"), ("response", "Forbidden"), ("content", "Forbidden"), ("content_type", "text/plain"),
            ("request_condition", "poppy-restrictions")).RespondJson("{}");
        mock.ExpectForm(HttpMethod.Put, $"service/{Id}/version/1/settings", ("general.default_ttl", "3600")).RespondJson("""{"general.default_ttl":3600}""");
        mock.ExpectForm(HttpMethod.Put, $"service/{Id}/version/1", ("comment", manifest)).RespondJson("""{"number":1}""");
        mock.Expect(HttpMethod.Get, $"service/{Id}/version/1/validate").RespondJson("""{"status":"ok","msg":null,"errors":[]}""");
        mock.Expect(HttpMethod.Put, $"service/{Id}/version/1/activate").RespondJson("""{"number":1,"active":true,"locked":true}""");

        var operation = await mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Rich());

        mock.Verify();
        Assert.True(operation.HasCompleted);
        Assert.Equal($"fastly:create:{Id}:1", operation.Id);
        var details = operation.Value;
        Assert.Equal("fastly", details.Provider);
        Assert.Equal("svc-1", details.ServiceId);
        Assert.Equal(Id, details.VendorServiceId);
        Assert.Equal(ProviderStatus.Deployed, details.Status);
        Assert.Equal(
            [new AccessUrl("www.example.com", "dualstack.nonssl.global.fastly.net"), new AccessUrl("mysite", "mysite.global.ssl.fastly.net")],
            details.AccessUrls);
        Assert.Equal(CertificateStatus.Deployed, Assert.Single(details.CertificateStatuses, kv => kv.Key == "mysite").Value);
        Assert.Single(details.CertificateStatuses);
    }

    [Fact]
    public async Task CreateServiceAsync_RetryFindsStampedServiceAlreadyDeployed_DoesNotCreateOrDeployAgain()
    {
        var mock = new FastlyMock();
        var desired = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Rich()));
        mock.ExpectSearch(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, desired.VersionComment))));
        mock.ExpectReadVersion(1, desired);

        var operation = await mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Rich());

        mock.Verify();
        Assert.Equal($"fastly:create:{Id}:1", operation.Id);
        Assert.Equal(ProviderStatus.Deployed, operation.Value.Status);
    }

    [Fact]
    public async Task CreateServiceAsync_RetryFindsHalfBuiltDraft_CompletesTheDraftWithoutASecondService()
    {
        var mock = new FastlyMock();
        var desired = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));

        // The first attempt created the service and its domain, then failed.
        var partial = new FastlyConfig { Domains = desired.Domains, DefaultTtl = 3600 };
        mock.ExpectSearch(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: false, locked: false))));
        mock.ExpectReadVersion(1, partial);
        mock.ExpectCreateAll(1, desired, partial with { VersionComment = "" });
        mock.ExpectValidateAndActivate(1);

        var operation = await mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Minimal());

        mock.Verify();
        Assert.Equal($"fastly:create:{Id}:1", operation.Id);
        Assert.Equal([new AccessUrl("www.example.com", "dualstack.nonssl.global.fastly.net")], operation.Value.AccessUrls);
    }

    [Fact]
    public async Task CreateServiceAsync_RetryFindsActiveServiceWithOtherConfig_ClonesAndConverges()
    {
        var mock = new FastlyMock();
        var old = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        var desired = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal() with { Origins = [new OriginSpec("other.example.net", 8080)] }));
        mock.ExpectSearch(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, old.VersionComment))));
        mock.ExpectReadVersion(1, old);
        mock.Expect(HttpMethod.Put, FastlyMock.V(1) + "/clone").RespondJson(FastlyJson.Version(2, active: false, locked: false, old.VersionComment));
        mock.Expect(HttpMethod.Delete, FastlyMock.V(2) + "/backend/poppy-origin-0").RespondJson("""{"status":"ok"}""");
        mock.ExpectCreateAll(2, desired, old with { Backends = [] });
        mock.ExpectValidateAndActivate(2);

        var operation = await mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Minimal() with { Origins = [new OriginSpec("other.example.net", 8080)] });

        mock.Verify();
        Assert.Equal($"fastly:create:{Id}:2", operation.Id);
    }

    [Fact]
    public async Task CreateServiceAsync_NameTakenByServicePoppyDidNotStamp_ThrowsConflictAndChangesNothing()
    {
        var mock = new FastlyMock();
        mock.ExpectSearch(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true)), comment: "hand made"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Minimal()));

        mock.Verify();
        Assert.Equal(CdnErrorCode.Conflict, error.ErrorCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task CreateServiceAsync_ValidationFails_ThrowsEveryProblemBeforeAnyCall()
    {
        var mock = new FastlyMock();
        var spec = TestSpecs.Minimal() with { Name = "x", Origins = [new OriginSpec("origin.example.net", 22)] };

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.CreateServiceAsync("svc-1", spec));

        Assert.Contains(error.Problems, p => p.Path == "/name");
        Assert.Contains(error.Problems, p => p.Path == "/origins/0/port");
        mock.Verify();
    }

    [Theory]
    [InlineData(CertificateKind.San)]
    [InlineData(CertificateKind.Sni)]
    [InlineData(CertificateKind.Custom)]
    public async Task CreateServiceAsync_CertificateKindOtherThanShared_RejectedBeforeAnyCall(CertificateKind kind)
    {
        var mock = new FastlyMock();
        var spec = TestSpecs.Minimal() with { Domains = [new DomainSpec("secure.example.com", DomainProtocol.Https, kind)] };

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.CreateServiceAsync("svc-1", spec));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("/domains/0/certificate", problem.Path);
        Assert.Equal("fastly", problem.Provider);
    }

    [Fact]
    public async Task CreateServiceAsync_LogDelivery_RejectedBeforeAnyCall()
    {
        var mock = new FastlyMock();
        var spec = TestSpecs.Minimal() with { LogDelivery = new LogDelivery { Enabled = true } };

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.CreateServiceAsync("svc-1", spec));

        Assert.Equal("/log_delivery/enabled", Assert.Single(error.Problems).Path);
    }

    [Fact]
    public async Task CreateServiceAsync_ValidateReportsError_ThrowsInvalidRequestAndDoesNotActivate()
    {
        var mock = new FastlyMock();
        var desired = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        mock.ExpectSearch(null);
        mock.Expect(HttpMethod.Post, "service").RespondJson(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, false, false))));
        mock.ExpectCreateAll(1, desired);
        mock.Expect(HttpMethod.Get, FastlyMock.V(1) + "/validate").RespondJson("""{"status":"error","msg":"Syntax error","errors":["Expected an operator at line 12"]}""");

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Minimal()));

        mock.Verify();
        Assert.Equal(CdnErrorCode.InvalidRequest, error.ErrorCode);
        Assert.Contains("Expected an operator at line 12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateServiceAsync_ValidateErrorQuotesTheToken_MessageHasItMasked()
    {
        var mock = new FastlyMock();
        var desired = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        mock.ExpectSearch(null);
        mock.Expect(HttpMethod.Post, "service").RespondJson(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, false, false))));
        mock.ExpectCreateAll(1, desired);
        mock.Expect(HttpMethod.Get, FastlyMock.V(1) + "/validate").RespondJson("{\"status\":\"error\",\"msg\":\"Syntax error\",\"errors\":[\"set req.http.k = \\\"" + FastlyMock.Token + "\\\"\"]}");

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Minimal()));

        Assert.Equal(CdnErrorCode.InvalidRequest, error.ErrorCode);
        Assert.DoesNotContain(FastlyMock.Token, error.Message, StringComparison.Ordinal);
        Assert.Contains("set req.http.k = \"[redacted]\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateServiceAsync_LogsCreationWithStableEventIds()
    {
        var mock = new FastlyMock();
        var desired = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        mock.ExpectSearch(null);
        mock.Expect(HttpMethod.Post, "service").RespondJson(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, false, false))));
        mock.ExpectCreateAll(1, desired);
        mock.ExpectValidateAndActivate(1);

        await mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Minimal());

        var ids = mock.Logger.Collector.GetSnapshot().Select(r => r.Id.Id).ToList();
        Assert.Contains(3000, ids);
        Assert.Contains(3002, ids);
        Assert.Contains(3003, ids);
    }
}
