using System.Text.Json.Nodes;
using Poppy.Sdk.Cloudflare.Internal;

namespace Poppy.Sdk.Cloudflare.Tests;

public class GetServiceTests
{
    [Fact]
    public async Task GetServiceAsync_InSync_ReadsTheSpecBackWithoutDrift()
    {
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business);
        await h.CreateActiveAsync("svc-1", TestSpecs.Rich());

        var service = await h.Provider.GetServiceAsync(new ServiceReference("svc-1"));

        Assert.NotNull(service);
        Assert.True(service.IsInSync, string.Join("; ", service.Drift));
        var expected = TestSpecs.Normalize(TestSpecs.Rich());
        Assert.Equal(expected.Domains, service.Spec.Domains);
        Assert.Equal(expected.Origins, service.Spec.Origins);
        Assert.Equal(expected.Caching, service.Spec.Caching);
        Assert.Equal(ProviderStatus.Deployed, service.Details.Status);
    }

    [Fact]
    public async Task GetServiceAsync_RuleChangedOutsidePoppy_ReportsDrift()
    {
        var h = new CloudflareHarness();
        await h.CreateActiveAsync("svc-1", TestSpecs.Simple());
        var rule = h.Zone.Rules(Phases.Cache).Single();
        rule["action_parameters"]!["edge_ttl"]!["default"] = 60;
        var origin = h.Zone.Rules(Phases.Origin).Single();
        origin["expression"] = "http.host in {\"www.example.com\" \"evil.example\"}";

        var service = await h.Provider.GetServiceAsync(new ServiceReference("svc-1"));

        Assert.NotNull(service);
        Assert.Contains(service.Drift, d => d.Path == "/caching/0/ttl" && d.Desired == "7200" && d.Actual == "60");
        Assert.Contains(service.Drift, d => d.Path == "/rules/http_request_origin/poppy:service_id=svc-1#origin-0" && d.Actual!.Contains("evil.example", StringComparison.Ordinal));
        Assert.Contains(h.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3307);
    }

    [Fact]
    public async Task GetServiceAsync_NoHostnames_ReturnsNull()
    {
        var h = new CloudflareHarness();

        Assert.Null(await h.Provider.GetServiceAsync(new ServiceReference("svc-1")));
    }

    [Fact]
    public async Task ListServicesAsync_PagesLazily_AndReturnsOnlyStampedServices()
    {
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business);
        await h.CreateActiveAsync("svc-a", TestSpecs.Rich("a-"));
        await h.CreateActiveAsync("svc-b", TestSpecs.Simple("b.example.com"));
        h.Zone.Hostnames["ffff"] = new JsonObject { ["id"] = "ffff", ["hostname"] = "manual.example.com", ["status"] = "active", ["ssl"] = new JsonObject { ["status"] = "active" } };
        h.Zone.PageSize = 1;

        var services = new List<ProviderService>();
        await foreach (var service in h.Provider.ListServicesAsync())
        {
            services.Add(service);
            if (services.Count == 1)
            {
                // Lazy: the first service is yielded before the last page is read.
                Assert.DoesNotContain(h.Zone.Calls, c => c.Contains("page=4", StringComparison.Ordinal));
            }
        }

        Assert.Equal(["svc-a", "svc-b"], services.Select(s => s.Details.ServiceId));
        Assert.Equal(["a-www.example.com", "a-static.example.com"], services[0].Spec.Domains.Select(d => d.Domain));
        Assert.All(services, s => Assert.True(s.IsInSync, string.Join("; ", s.Drift)));
    }
}
