using Poppy.Sdk.Models;

namespace Poppy.Sdk.Cloudflare.Tests.Integration;

/// <summary>The provider against the emulated Cloudflare over HTTP, on a shared fake clock (no real waiting).</summary>
public sealed class CloudflareEmulatorIntegrationTests : CloudflareEmulatorTestBase
{
    [Fact]
    public async Task Lifecycle_CreateDeployedGetUpdateEveryPurgeKindDelete()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Rich());

        var create = await Provider.CreateServiceAsync("rich-1", spec);
        Assert.Equal(ProviderStatus.CreateInProgress, (await Provider.GetServiceAsync(new ServiceReference("rich-1")))!.Details.Status);
        await CompleteAsync(create);

        Assert.Equal(["www.example.com", "static.example.com"], Emulator.Cloudflare.CustomHostnames.Select(h => h.Hostname));
        Assert.All(Emulator.Cloudflare.CustomHostnames, h => Assert.Equal(("active", "active"), (h.Status, h.SslStatus)));
        Assert.All(Emulator.Cloudflare.Rules, r => Assert.StartsWith("poppy:service_id=rich-1#", r.Ref, StringComparison.Ordinal));
        var read = await Provider.GetServiceAsync(new ServiceReference("rich-1", create.Value.VendorServiceId));
        Assert.Equal(spec, read!.Spec);
        Assert.Empty(read.Drift);
        Assert.Equal(ProviderStatus.Deployed, read.Details.Status);

        // Update: a third domain, a shorter default TTL, no referrer restriction.
        var changed = TestSpecs.Normalize(spec with
        {
            Domains = [.. spec.Domains, new DomainSpec("img.example.com")],
            Caching = [spec.Caching![0] with { Ttl = 3600 }, .. spec.Caching.Skip(1)],
            Restrictions = [spec.Restrictions![0], spec.Restrictions[2]],
        });
        var update = await Provider.UpdateServiceAsync(new ServiceReference("rich-1", create.Value.VendorServiceId), changed);
        await CompleteAsync(update);
        var updated = await Provider.GetServiceAsync(new ServiceReference("rich-1"));
        Assert.Equal(changed, updated!.Spec);
        Assert.Empty(updated.Drift);
        Assert.Equal(3, Emulator.Cloudflare.CustomHostnames.Count);

        // Every purge kind the provider supports, each scoped to the service's hosts.
        var target = new ServiceReference("rich-1", create.Value.VendorServiceId);
        await Provider.PurgeAsync(target, PurgeRequest.ForUrls("/a.css", "https://static.example.com/b.js"));
        await Provider.PurgeAsync(target, PurgeRequest.ForPrefixes("/images/"));
        await Provider.PurgeAsync(target, PurgeRequest.ForTags("product-42"));
        await Provider.PurgeAsync(target, PurgeRequest.ForHosts("img.example.com"));
        var everything = await Provider.PurgeAsync(target, PurgeRequest.ForEverything());
        Assert.NotNull(everything.Emulation);

        var purges = Emulator.Cloudflare.Purges;
        Assert.Equal(["files", "prefixes", "tags", "hosts", "hosts"], purges.Select(p => p.Kind));
        Assert.Contains("https://static.example.com/b.js", purges[0].Items);
        Assert.Contains("https://img.example.com/a.css", purges[0].Items);
        Assert.Equal(["img.example.com/images/", "static.example.com/images/", "www.example.com/images/"], purges[1].Items.Order(StringComparer.Ordinal));
        Assert.Equal(["product-42"], purges[2].Items);
        Assert.Equal(["img.example.com"], purges[3].Items);
        Assert.Equal(["img.example.com", "static.example.com", "www.example.com"], purges[4].Items.Order(StringComparer.Ordinal));

        var delete = await Provider.DeleteServiceAsync(target);
        await CompleteAsync(delete);
        Assert.Empty(Emulator.Cloudflare.CustomHostnames);
        Assert.Empty(Emulator.Cloudflare.Rules);
        Assert.Null(await Provider.GetServiceAsync(new ServiceReference("rich-1")));
    }

    [Fact]
    public async Task Create_RetriedByAnotherInstance_ConvergesWithoutDuplicates()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Rich());
        var first = await Provider.CreateServiceAsync("retry-1", spec);
        var hostnames = Emulator.Cloudflare.CustomHostnames.Select(h => h.Id).ToList();
        var rules = Emulator.Cloudflare.Rules.Select(r => (r.Id, r.Version)).ToList();

        // The caller never heard the answer and creates again, from another process.
        var again = await NewProvider().CreateServiceAsync("retry-1", spec);
        await CompleteAsync(again);

        Assert.Equal(hostnames, Emulator.Cloudflare.CustomHostnames.Select(h => h.Id));
        Assert.Equal(rules, Emulator.Cloudflare.Rules.Select(r => (r.Id, r.Version)));
        Assert.Single(await Provider.ListServicesAsync().ToListAsync());
        Assert.Equal(spec, (await Provider.GetServiceAsync(new ServiceReference("retry-1")))!.Spec);
        await CompleteAsync(first);
    }

    [Fact]
    public async Task TwoServicesSharingTheZone_UpdateAndDeleteOne_TheOthersRulesAndHostnamesUntouched()
    {
        var a = await CreateDeployedAsync("svc-a", TestSpecs.Rich("a-"));
        await CreateDeployedAsync("svc-b", TestSpecs.Rich("b-"));
        var bHostnames = Emulator.Cloudflare.CustomHostnames.Where(h => h.Hostname.StartsWith("b-", StringComparison.Ordinal)).ToList();
        var bRules = Emulator.Cloudflare.Rules.Where(r => r.Ref.StartsWith("poppy:service_id=svc-b#", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, bHostnames.Count);
        Assert.NotEmpty(bRules);

        var aSpec = TestSpecs.Normalize(TestSpecs.Rich("a-"));
        var update = await Provider.UpdateServiceAsync(new ServiceReference("svc-a", a.VendorServiceId), aSpec with { Caching = [aSpec.Caching![0]], Restrictions = [] });
        await CompleteAsync(update);
        AssertUntouched();

        await CompleteAsync(await Provider.DeleteServiceAsync(new ServiceReference("svc-a", a.VendorServiceId)));
        AssertUntouched();
        Assert.DoesNotContain(Emulator.Cloudflare.Rules, r => r.Ref.Contains("svc-a", StringComparison.Ordinal));
        Assert.Equal(TestSpecs.Normalize(TestSpecs.Rich("b-")), (await Provider.GetServiceAsync(new ServiceReference("svc-b")))!.Spec);

        void AssertUntouched()
        {
            Assert.Equal(bHostnames, Emulator.Cloudflare.CustomHostnames.Where(h => h.Hostname.StartsWith("b-", StringComparison.Ordinal)));
            Assert.Equal(bRules, Emulator.Cloudflare.Rules.Where(r => r.Ref.StartsWith("poppy:service_id=svc-b#", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task UpdatedByAnotherProcess_ReadBackShowsTheCurrentSpec()
    {
        var created = await CreateDeployedAsync("drift-1", TestSpecs.Simple());
        var reference = new ServiceReference("drift-1", created.VendorServiceId);
        Assert.Empty((await Provider.GetServiceAsync(reference))!.Drift);

        // Another process (another provider instance on the zone) adds a domain: this one reads it back from Cloudflare.
        await CompleteAsync(await NewProvider().UpdateServiceAsync(reference, TestSpecs.Normalize(TestSpecs.Simple() with { Domains = [new DomainSpec("www.example.com"), new DomainSpec("m.example.com")] })));

        var read = await Provider.GetServiceAsync(reference);
        Assert.Equal(["www.example.com", "m.example.com"], read!.Spec.Domains.Select(d => d.Domain));
    }
}
