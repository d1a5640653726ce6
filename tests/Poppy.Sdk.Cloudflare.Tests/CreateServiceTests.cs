using System.Net;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>The exact requests of a create, with strict MockHttp.</summary>
public class CreateServiceTests
{
    private const string HostnameBody =
        "{\"hostname\":\"www.example.com\",\"ssl\":{\"method\":\"http\",\"type\":\"dv\"},\"custom_metadata\":{\"poppy:manifest:00\":\"MANIFEST\",\"poppy:service-id\":\"svc-1\"},\"custom_origin_server\":\"origin.saas.example\"}";

    private const string OriginRule =
        "{\"ref\":\"poppy:service_id=svc-1#origin-0\",\"description\":\"Poppy service svc-1: origin 'all' → origin.saas.example:80\",\"expression\":\"http.host in {\\\"www.example.com\\\"}\",\"action\":\"route\",\"action_parameters\":{\"origin\":{\"host\":\"origin.saas.example\",\"port\":80}},\"enabled\":true}";

    private const string CacheRule =
        "{\"ref\":\"poppy:service_id=svc-1#cache-0\",\"description\":\"Poppy service svc-1: cache 'default' ttl 7200 s\",\"expression\":\"http.host in {\\\"www.example.com\\\"}\",\"action\":\"set_cache_settings\",\"action_parameters\":{\"cache\":true,\"edge_ttl\":{\"mode\":\"override_origin\",\"default\":7200}},\"enabled\":true}";

    private static string Manifest() => SpecManifest.Split(TestSpecs.Normalize(TestSpecs.Simple()), 1000, 3).Single().Value;

    [Fact]
    public async Task CreateServiceAsync_NewService_SendsExactlyTheseRequests()
    {
        var mock = new CloudflareMock();
        var hostnames = "custom_hostnames";
        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + hostnames + "?hostname=www.example.com").Respond(_ => CloudflareMock.Ok("[]"));
        mock.ExpectJson(HttpMethod.Post, CloudflareMock.ZonePath + hostnames, HostnameBody.Replace("MANIFEST", Manifest(), StringComparison.Ordinal))
            .Respond(_ => CloudflareMock.Ok("{\"id\":\"h1\",\"hostname\":\"www.example.com\",\"status\":\"pending\",\"ssl\":{\"status\":\"pending_validation\",\"method\":\"http\"},\"ownership_verification\":{\"type\":\"txt\",\"name\":\"_cf-custom-hostname.www.example.com\",\"value\":\"5cc07c04-ea62-4a5a-95f0-419334a875a4\"}}"));
        ExpectNewPhase(mock, "http_request_origin", "rs-origin", OriginRule, "poppy:service_id=svc-1#origin-0");
        ExpectNewPhase(mock, "http_request_cache_settings", "rs-cache", CacheRule, "poppy:service_id=svc-1#cache-0");
        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "rulesets/phases/http_request_firewall_custom/entrypoint").Respond(_ => CloudflareMock.Error(404, 10003, "could not find entrypoint ruleset"));

        var operation = await mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Simple());

        mock.Verify();
        Assert.False(operation.HasCompleted);
        Assert.Equal($"cloudflare:create:{CloudflareMock.Zone}:h1:svc-1", operation.Id);
        Assert.Equal("waiting for validation: www.example.com hostname pending, certificate pending_validation: publish TXT _cf-custom-hostname.www.example.com = 5cc07c04-ea62-4a5a-95f0-419334a875a4", operation.StatusDescription);
    }

    private static void ExpectNewPhase(CloudflareMock mock, string phase, string rulesetId, string rule, string reference)
    {
        var entryPoint = CloudflareMock.ZonePath + $"rulesets/phases/{phase}/entrypoint";
        var empty = $"{{\"id\":\"{rulesetId}\",\"kind\":\"zone\",\"phase\":\"{phase}\",\"rules\":[]}}";
        var withRule = $"{{\"id\":\"{rulesetId}\",\"kind\":\"zone\",\"phase\":\"{phase}\",\"rules\":[{{\"id\":\"r-{rulesetId}\",\"ref\":\"{reference}\"}}]}}";
        mock.Expect(HttpMethod.Get, entryPoint).Respond(_ => CloudflareMock.Error(404, 10003, "could not find entrypoint ruleset"));
        mock.Expect(HttpMethod.Get, entryPoint).Respond(_ => CloudflareMock.Error(404, 10003, "could not find entrypoint ruleset"));
        mock.ExpectJson(HttpMethod.Put, entryPoint, "{\"description\":\"Zone entry point (created by Poppy; rules are written one at a time)\",\"rules\":[]}").Respond(_ => CloudflareMock.Ok(empty));
        mock.ExpectJson(HttpMethod.Post, CloudflareMock.ZonePath + $"rulesets/{rulesetId}/rules", rule).Respond(_ => CloudflareMock.Ok(withRule));
        mock.Expect(HttpMethod.Get, entryPoint).Respond(_ => CloudflareMock.Ok(withRule));
    }

    [Fact]
    public async Task CreateServiceAsync_DuplicateHostnameRace_LooksItUpAndConverges()
    {
        var mock = new CloudflareMock();
        var spec = TestSpecs.Simple();
        var existing = "{\"id\":\"h1\",\"hostname\":\"www.example.com\",\"status\":\"active\",\"ssl\":{\"status\":\"active\",\"method\":\"http\"},\"custom_origin_server\":\"origin.saas.example\",\"custom_metadata\":{\"poppy:service-id\":\"svc-1\",\"poppy:manifest:00\":\"" + Manifest() + "\"}}";
        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "custom_hostnames?hostname=www.example.com").Respond(_ => CloudflareMock.Ok("[]"));
        mock.Expect(HttpMethod.Post, CloudflareMock.ZonePath + "custom_hostnames").Respond(_ => CloudflareMock.Error(409, 1406, "Duplicate custom hostname found."));
        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "custom_hostnames?hostname=www.example.com").Respond(_ => CloudflareMock.Ok("[" + existing + "]"));
        foreach (var (phase, id, rule) in new[] { ("http_request_origin", "rs-o", OriginRule), ("http_request_cache_settings", "rs-c", CacheRule) })
        {
            var stored = rule.Replace("\"enabled\":true}", $"\"enabled\":true,\"id\":\"r-{id}\",\"version\":\"1\"}}", StringComparison.Ordinal);
            mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + $"rulesets/phases/{phase}/entrypoint").Respond(_ => CloudflareMock.Ok($"{{\"id\":\"{id}\",\"rules\":[{{\"id\":\"other\",\"ref\":\"poppy:service_id=svc-2#origin-0\",\"expression\":\"true\",\"action\":\"route\"}},{stored}]}}"));
        }

        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "rulesets/phases/http_request_firewall_custom/entrypoint").Respond(_ => CloudflareMock.Ok("{\"id\":\"rs-f\",\"rules\":[]}"));

        var operation = await mock.Provider.CreateServiceAsync("svc-1", spec);

        mock.Verify();
        Assert.True(operation.HasCompleted);
        Assert.Equal(ProviderStatus.Deployed, operation.Value.Status);
        Assert.Equal([new AccessUrl("www.example.com", "customers.saas.example")], operation.Value.AccessUrls);
    }

    [Fact]
    public async Task CreateServiceAsync_InvalidForThePlan_ThrowsBeforeAnyCall()
    {
        var mock = new CloudflareMock();
        var spec = TestSpecs.Simple() with { Caching = [new CachingRule("short", 60, new PathRule("all", "/*"))] };

        var error = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.CreateServiceAsync("svc-1", spec));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(("/caching/0/ttl", "Cloudflare:Plan"), (problem.Path, problem.Remedy));
        mock.Verify();
    }

    [Fact]
    public async Task DeleteServiceAsync_BareIdAnswerAndEnvelope_AreBothAccepted()
    {
        var mock = new CloudflareMock();
        var item = "{\"id\":\"ID\",\"hostname\":\"NAME\",\"status\":\"active\",\"custom_metadata\":{\"poppy:service-id\":\"svc-1\"}}";
        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "custom_hostnames?page=1&per_page=50")
            .Respond(_ => CloudflareMock.Ok("[" + item.Replace("ID", "h1", StringComparison.Ordinal).Replace("NAME", "a.example.com", StringComparison.Ordinal) + "," + item.Replace("ID", "h2", StringComparison.Ordinal).Replace("NAME", "b.example.com", StringComparison.Ordinal) + "]", CloudflareMock.Page(1, 1)));
        foreach (var phase in new[] { "http_request_origin", "http_request_cache_settings", "http_request_firewall_custom" })
        {
            mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + $"rulesets/phases/{phase}/entrypoint").Respond(_ => CloudflareMock.Error(404, 10003, "could not find entrypoint ruleset"));
        }

        mock.Expect(HttpMethod.Delete, CloudflareMock.ZonePath + "custom_hostnames/h1").Respond(_ => CloudflareMock.Json("{\"id\":\"h1\"}"));
        mock.Expect(HttpMethod.Delete, CloudflareMock.ZonePath + "custom_hostnames/h2").Respond(_ => CloudflareMock.Ok("{\"id\":\"h2\"}"));

        var operation = await mock.Provider.DeleteServiceAsync(new ServiceReference("svc-1"));

        mock.Verify();
        Assert.True(operation.HasCompleted);
        Assert.Contains(mock.Logger.Collector.GetSnapshot(), r => r.Message == "Cloudflare: deleted service svc-1 (2 custom hostname(s), 0 rule(s)).");
    }

    [Fact]
    public async Task DeleteServiceAsync_AnswerWithoutId_IsMalformed()
    {
        var mock = new CloudflareMock();
        mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "custom_hostnames?page=1&per_page=50")
            .Respond(_ => CloudflareMock.Ok("[{\"id\":\"h1\",\"hostname\":\"a.example.com\",\"custom_metadata\":{\"poppy:service-id\":\"svc-1\"}}]", CloudflareMock.Page(1, 1)));
        foreach (var phase in new[] { "http_request_origin", "http_request_cache_settings", "http_request_firewall_custom" })
        {
            mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + $"rulesets/phases/{phase}/entrypoint").Respond(_ => CloudflareMock.Error(404, 10003, "none"));
        }

        mock.Expect(HttpMethod.Delete, CloudflareMock.ZonePath + "custom_hostnames/h1").Respond(_ => CloudflareMock.Json("{\"deleted\":true}"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.DeleteServiceAsync(new ServiceReference("svc-1")));

        Assert.Equal(CdnErrorCode.MalformedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task CheckAccessAsync_VerifiesTheTokenAndReadsTheZone()
    {
        var mock = new CloudflareMock();
        mock.Expect(HttpMethod.Get, "user/tokens/verify").Respond(_ => CloudflareMock.Ok("{\"id\":\"tok\",\"status\":\"active\"}"));
        mock.Expect(HttpMethod.Get, "zones/" + CloudflareMock.Zone).Respond(_ => CloudflareMock.Error(404, 7003, "Could not route"));

        var problems = await mock.Provider.CheckAccessAsync();

        mock.Verify();
        Assert.Equal([$"The token cannot read zone '{CloudflareMock.Zone}' (no such zone, or no Zone Read permission)."], problems);
    }

    [Fact]
    public async Task VerifyAccessAsync_OneTokenCheck_AndARefusedTokenIsUnauthorized()
    {
        var mock = new CloudflareMock();
        mock.Expect(HttpMethod.Get, "user/tokens/verify").Respond(_ => CloudflareMock.Ok("{\"id\":\"tok\",\"status\":\"active\"}"));
        mock.Expect(HttpMethod.Get, "user/tokens/verify").Respond(_ => CloudflareMock.Error(403, 10000, "Authentication error"));

        await ((ICdnProvider)mock.Provider).VerifyAccessAsync();
        var refused = await Assert.ThrowsAsync<CdnRequestFailedException>(() => ((ICdnProvider)mock.Provider).VerifyAccessAsync());

        mock.Verify();
        Assert.Equal(CdnErrorCode.Unauthorized, refused.ErrorCode);
    }
}
