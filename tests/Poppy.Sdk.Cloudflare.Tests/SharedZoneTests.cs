using System.Text.Json.Nodes;
using Poppy.Sdk.Cloudflare.Internal;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>Two services on one SaaS zone: each writes, edits and deletes only its own rules and hostnames.</summary>
public class SharedZoneTests
{
    private static Dictionary<string, string> Snapshot(FakeCloudflare zone, string serviceId) =>
        Phases.All.SelectMany(p => zone.Rules(p))
            .Where(r => RuleRef.BelongsTo((string?)r["ref"], serviceId))
            .ToDictionary(r => (string)r["ref"]!, r => r.ToJsonString());

    [Fact]
    public async Task UpdateAndDelete_OneOfTwoServices_LeavesTheOthersRulesAndHostnamesUntouched()
    {
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business);
        await h.CreateActiveAsync("svc-a", TestSpecs.Rich("a-"));
        await h.CreateActiveAsync("svc-b", TestSpecs.Rich("b-"));
        var before = Snapshot(h.Zone, "svc-b");
        var hostnamesOfB = h.Zone.Hostnames.Values.Where(x => ((string)x["hostname"]!).StartsWith("b-", StringComparison.Ordinal)).Select(x => x.ToJsonString()).ToList();
        Assert.Equal(8, before.Count);

        var changed = TestSpecs.Rich("a-") with
        {
            Caching = [new CachingRule("default", 3600, new PathRule("all", "/*"))],
            Restrictions = [new Restriction("office", RestrictionAccess.Whitelist, RestrictionRule.ForClientIp("198.51.100.0/24", "/admin/*"))],
        };
        var update = await h.Provider.UpdateServiceAsync(new ServiceReference("svc-a"), changed);
        Assert.True(update.HasCompleted);

        Assert.Equal(before, Snapshot(h.Zone, "svc-b"));
        var cacheOfA = h.Zone.Rules(Phases.Cache).Where(r => RuleRef.BelongsTo((string?)r["ref"], "svc-a")).ToList();
        var rule = Assert.Single(cacheOfA);
        Assert.Equal(3600, (int)rule["action_parameters"]!["edge_ttl"]!["default"]!);

        await h.Provider.DeleteServiceAsync(new ServiceReference("svc-a"));

        Assert.Empty(Snapshot(h.Zone, "svc-a"));
        Assert.Equal(before, Snapshot(h.Zone, "svc-b"));
        Assert.Equal(hostnamesOfB, h.Zone.Hostnames.Values.Select(x => x.ToJsonString()).ToList());
        Assert.Equal(3, h.Zone.Count("PUT", $"/client/v4/zones/{FakeCloudflare.ZoneId}/rulesets/phases/"));
    }

    [Fact]
    public async Task Rules_AreScopedToTheServicesHosts_AndCarryTheStampInRef()
    {
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business);
        await h.CreateActiveAsync("svc-a", TestSpecs.Rich("a-"));

        foreach (var rule in Phases.All.SelectMany(h.Zone.Rules))
        {
            Assert.StartsWith("poppy:service_id=svc-a#", (string)rule["ref"]!, StringComparison.Ordinal);
            Assert.StartsWith("http.host in {\"a-www.example.com\" \"a-static.example.com\"}", (string)rule["expression"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_ConcurrentlyOnAZoneWithoutEntryPoints_CreatesEachEntryPointOnce()
    {
        var h = new CloudflareHarness();

        await Task.WhenAll(
            h.Provider.CreateServiceAsync("svc-a", TestSpecs.Simple("a.example.com")),
            h.Provider.CreateServiceAsync("svc-b", TestSpecs.Simple("b.example.com")));

        Assert.Equal(2, h.Zone.Count("PUT", $"/client/v4/zones/{FakeCloudflare.ZoneId}/rulesets/phases/"));
        Assert.Equal(2, h.Zone.Rules(Phases.Origin).Count());
        Assert.Equal(2, h.Zone.Rules(Phases.Cache).Count());
    }

    [Fact]
    public async Task Create_AnotherProcessReplacesTheNewEntryPoint_RuleIsWrittenAgain()
    {
        var h = new CloudflareHarness();
        h.Zone.WipeNewEntryPointOnce = true;

        await h.Provider.CreateServiceAsync("svc-a", TestSpecs.Simple());

        Assert.Single(h.Zone.Rules(Phases.Origin));
        Assert.Single(h.Zone.Rules(Phases.Cache));
        Assert.Contains(h.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3306);
    }

    [Fact]
    public async Task Create_Retried_ConvergesWithoutDuplicates()
    {
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business);
        await h.Provider.CreateServiceAsync("svc-a", TestSpecs.Rich());
        var rules = Phases.All.Sum(p => h.Zone.Rules(p).Count());
        var posts = h.Zone.Count("POST", $"/client/v4/zones/{FakeCloudflare.ZoneId}/rulesets/");

        await h.Provider.CreateServiceAsync("svc-a", TestSpecs.Rich());

        Assert.Equal(2, h.Zone.Hostnames.Count);
        Assert.Equal(rules, Phases.All.Sum(p => h.Zone.Rules(p).Count()));
        Assert.Equal(posts, h.Zone.Count("POST", $"/client/v4/zones/{FakeCloudflare.ZoneId}/rulesets/"));
        Assert.Equal(0, h.Zone.Count("PATCH", $"/client/v4/zones/{FakeCloudflare.ZoneId}/"));
    }

    [Fact]
    public async Task Create_HostnameOfAnotherService_IsRefusedAndNothingIsWritten()
    {
        var h = new CloudflareHarness();
        await h.CreateActiveAsync("svc-a", TestSpecs.Simple());
        var calls = h.Zone.Calls.Count;

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => h.Provider.CreateServiceAsync("svc-b", TestSpecs.Simple()));

        Assert.Equal(CdnErrorCode.Conflict, error.ErrorCode);
        Assert.Contains("belongs to Poppy service 'svc-a'", error.Message, StringComparison.Ordinal);
        Assert.All(h.Zone.Calls.Skip(calls), c => Assert.StartsWith("GET", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_ReordersRules_KeepsCatchAllFirstAndSpecificLater()
    {
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business);
        await h.CreateActiveAsync("svc-a", TestSpecs.Simple());
        var spec = TestSpecs.Simple() with
        {
            Caching = [new CachingRule("static", 86_400, new PathRule("static", "/static/*")), new CachingRule("default", 7200, new PathRule("all", "/*"))],
        };

        await h.Provider.UpdateServiceAsync(new ServiceReference("svc-a"), spec);

        var cache = h.Zone.Rules(Phases.Cache).ToList();
        Assert.Equal(2, cache.Count);
        Assert.DoesNotContain(" and ", (string)cache[0]["expression"]!, StringComparison.Ordinal);
        Assert.EndsWith("starts_with(http.request.uri.path, \"/static/\")", (string)cache[1]["expression"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_DroppedDomain_DeletesItsHostnameAfterTheRules()
    {
        var h = new CloudflareHarness();
        var spec = TestSpecs.Simple() with { Domains = [new DomainSpec("www.example.com"), new DomainSpec("old.example.com")] };
        await h.CreateActiveAsync("svc-a", spec);

        await h.Provider.UpdateServiceAsync(new ServiceReference("svc-a"), TestSpecs.Simple());

        Assert.Equal(["www.example.com"], h.Zone.Hostnames.Values.Select(x => (string)x["hostname"]!));
        var lastRuleWrite = h.Zone.Calls.FindLastIndex(c => c.Contains("/rulesets/", StringComparison.Ordinal) && !c.StartsWith("GET", StringComparison.Ordinal));
        var delete = h.Zone.Calls.FindIndex(c => c.StartsWith("DELETE", StringComparison.Ordinal) && c.Contains("/custom_hostnames/", StringComparison.Ordinal));
        Assert.True(delete > lastRuleWrite);
        Assert.All(h.Zone.Rules(Phases.Origin), r => Assert.DoesNotContain("old.example.com", (string)r["expression"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_RemovesRulesThenHostnames_AndIsIdempotent()
    {
        var h = new CloudflareHarness();
        await h.CreateActiveAsync("svc-a", TestSpecs.Simple());

        var first = await h.Provider.DeleteServiceAsync(new ServiceReference("svc-a"));
        var second = await h.Provider.DeleteServiceAsync(new ServiceReference("svc-a"));

        Assert.True(first.HasCompleted && second.HasCompleted);
        Assert.Empty(h.Zone.Hostnames);
        Assert.All(Phases.All, p => Assert.Empty(h.Zone.Rules(p)));
        var firstHostnameDelete = h.Zone.Calls.FindIndex(c => c.StartsWith("DELETE", StringComparison.Ordinal) && c.Contains("/custom_hostnames/", StringComparison.Ordinal));
        var lastRuleDelete = h.Zone.Calls.FindLastIndex(c => c.StartsWith("DELETE", StringComparison.Ordinal) && c.Contains("/rules/", StringComparison.Ordinal));
        Assert.True(firstHostnameDelete > lastRuleDelete);
        Assert.Equal($"cloudflare:delete:{FakeCloudflare.ZoneId}:-:svc-a", second.Id);
    }

    [Fact]
    public async Task Create_FallbackOriginPolicyEnsure_SetsItOnceWhenDifferent()
    {
        var h = new CloudflareHarness(o => (o.FallbackOrigin, o.FallbackOriginPolicy) = ("fallback.saas.example", CloudflareFallbackOriginPolicy.Ensure));

        await h.Provider.CreateServiceAsync("svc-a", TestSpecs.Simple("a.example.com"));
        await h.Provider.CreateServiceAsync("svc-b", TestSpecs.Simple("b.example.com"));

        Assert.Equal("fallback.saas.example", h.Zone.FallbackOrigin);
        Assert.Equal(1, h.Zone.Count("PUT", $"/client/v4/zones/{FakeCloudflare.ZoneId}/custom_hostnames/fallback_origin"));
        Assert.Equal(1, h.Zone.Count("GET", $"/client/v4/zones/{FakeCloudflare.ZoneId}/custom_hostnames/fallback_origin"));
    }

    internal static JsonObject Hostname(FakeCloudflare zone, string name) => zone.Hostnames.Values.Single(x => (string)x["hostname"]! == name);
}
