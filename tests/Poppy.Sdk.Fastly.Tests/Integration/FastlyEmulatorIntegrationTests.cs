using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Models;
using Poppy.Sdk.Testing;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Fastly.Tests.Integration;

/// <summary>End to end over HTTP: the Fastly provider, alone and in a mirror flavor, against the emulator, with faults.</summary>
public sealed class FastlyEmulatorIntegrationTests : IAsyncLifetime
{
    private CdnEmulator _emulator = null!;
    private HttpClient _http = null!;
    private FastlyCdnProvider _fastly = null!;

    public async Task InitializeAsync()
    {
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { Fastly = { HourlyRateLimit = 10_000 } });
        var options = new FastlyCdnProviderOptions { ApiToken = _emulator.Fastly.ApiToken, BaseAddress = _emulator.BaseAddress };
        _http = FastlyCdnProvider.CreateHttpClient(options);
        _fastly = new FastlyCdnProvider(_http, options);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private static ServiceSpec RichSpec() => ServiceSpecValidator.Validate(new ServiceSpec
    {
        Name = "integration",
        FlavorId = "mirror",
        Domains = [new DomainSpec("www.integration.example"), new DomainSpec("cdn.integration.example")],
        Origins =
        [
            new OriginSpec("origin.integration.example", 443, ssl: true),
            new OriginSpec("images.integration.example", 8443, ssl: true) { Rules = [new PathRule("images", "/images/*")], HostHeaderType = HostHeaderType.Origin },
        ],
        Caching = [new CachingRule("default", 600, new PathRule("all", "/*")), new CachingRule("nocache", 0, new PathRule("api", "/api/*"))],
        Restrictions =
        [
            new Restriction("geo", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US", "/video/*")),
            new Restriction("ips", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.0/24"), RestrictionRule.ForClientIp("2001:db8::/32")),
        ],
    }).GetNormalizedOrThrow();

    [Fact]
    public async Task CreateServiceAsync_RichSpec_ProvisionsActiveVersionThatReadsBackTheSame()
    {
        var spec = RichSpec();

        var op = await _fastly.CreateServiceAsync("svc-rich", spec);
        var details = op.Value;

        var service = Assert.Single(_emulator.Fastly.Services);
        Assert.Equal(details.VendorServiceId, service.Id);
        Assert.Contains("svc-rich", service.Comment, StringComparison.Ordinal);
        Assert.Equal(1, service.ActiveVersion);
        var backends = _emulator.Fastly.GetObjects(service.Id, 1, "backend");
        Assert.Equal(2, backends.Count);
        Assert.Contains(backends, b => b["address"] == "images.integration.example" && b["port"] == "8443" && b["override_host"] == "images.integration.example");
        var read = await _fastly.GetServiceAsync(new ServiceReference("svc-rich"));
        Assert.Equal(spec.Domains, read!.Spec.Domains);
        Assert.Equal(spec.Origins.Select(o => (o.Origin, o.Port, o.Ssl, o.HostHeaderType)), read.Spec.Origins.Select(o => (o.Origin, o.Port, o.Ssl, o.HostHeaderType)));
        Assert.Equal(spec.Caching!.Select(c => c.Ttl).Order(), read.Spec.Caching!.Select(c => c.Ttl).Order());
        Assert.Equal(spec.Restrictions.SelectMany(r => r.Rules).Select(r => r.Value).Order(), read.Spec.Restrictions.SelectMany(r => r.Rules).Select(r => r.Value).Order());
    }

    [Fact]
    public async Task GetServiceAsync_CacheTtlEditedOutsidePoppy_ReportsTheDifferenceAsDrift()
    {
        var spec = RichSpec();
        var vendorId = (await _fastly.CreateServiceAsync("svc-drift", spec)).Value.VendorServiceId!;
        var inSync = await _fastly.GetServiceAsync(new ServiceReference("svc-drift", vendorId));
        Assert.Empty(inSync!.Drift);

        // An edit in Fastly's console, through the API with the account's key: clone, change the TTL, activate.
        using var console = new HttpClient { BaseAddress = _emulator.BaseAddress };
        console.DefaultRequestHeaders.Add("Fastly-Key", _emulator.Fastly.ApiToken);
        (await console.PutAsync($"service/{vendorId}/version/1/clone", null)).EnsureSuccessStatusCode();
        (await console.PutAsync($"service/{vendorId}/version/2/cache_settings/poppy-cache-1", new FormUrlEncodedContent([KeyValuePair.Create("ttl", "60")]))).EnsureSuccessStatusCode();
        (await console.PutAsync($"service/{vendorId}/version/2/activate", null)).EnsureSuccessStatusCode();

        var drifted = await _fastly.GetServiceAsync(new ServiceReference("svc-drift", vendorId));

        var difference = Assert.Single(drifted!.Drift);
        Assert.Equal(new SpecDifference("/caching/1/ttl", "0", "60"), difference);
        Assert.False(drifted.IsInSync);
        Assert.Equal(60, drifted.Spec.Caching![1].Ttl);
        Assert.Contains(await _fastly.ListServicesAsync().ToListAsync(), s => s.Details.ServiceId == "svc-drift" && s.Drift.Count == 1);
    }

    [Fact]
    public async Task UpdateServiceAsync_ClonesActivatesAndLeavesOldVersionLocked()
    {
        var spec = RichSpec();
        var created = (await _fastly.CreateServiceAsync("svc-upd", spec)).Value;

        var changed = spec with { Caching = [new CachingRule("default", 42, new PathRule("all", "/*"))] };
        await _fastly.UpdateServiceAsync(new ServiceReference("svc-upd", created.VendorServiceId), changed);

        var service = Assert.Single(_emulator.Fastly.Services);
        Assert.Equal(2, service.ActiveVersion);
        Assert.Equal(42, (await _fastly.GetServiceAsync(new ServiceReference("svc-upd")))!.Spec.Caching!.Single().Ttl);
    }

    [Fact]
    public async Task Purge_UrlKeysAndAll_ReachTheEmulatorInFastlyForm()
    {
        var created = (await _fastly.CreateServiceAsync("svc-purge", RichSpec())).Value;
        var reference = new ServiceReference("svc-purge", created.VendorServiceId);

        await _fastly.PurgeAsync(reference, PurgeRequest.ForUrls("/index.html"));
        await _fastly.PurgeAsync(reference, PurgeRequest.ForTags(Enumerable.Range(0, 256).Select(i => $"k{i}").ToArray()).AsSoft());
        await _fastly.PurgeAsync(reference, PurgeRequest.ForEverything());

        var purges = _emulator.Fastly.Purges;
        Assert.Contains(purges, p => p.Kind == "url" && p.Target == "www.integration.example/index.html");
        Assert.Contains(purges, p => p.Kind == "url" && p.Target == "cdn.integration.example/index.html");
        Assert.Equal(256, purges.Count(p => p.Kind == "key" && p.Soft));
        Assert.Contains(purges, p => p.Kind == "all" && p.Target == created.VendorServiceId);
    }

    [Fact]
    public async Task Delete_DeactivatesThenDeletes()
    {
        var created = (await _fastly.CreateServiceAsync("svc-del", RichSpec())).Value;

        var op = await _fastly.DeleteServiceAsync(new ServiceReference("svc-del", created.VendorServiceId));

        Assert.True(op.HasCompleted);
        Assert.Empty(_emulator.Fastly.Services);
        Assert.Equal(1, _emulator.Fastly.Calls.Count("PUT", "/deactivate"));
    }

    [Fact]
    public async Task CreateServiceAsync_ConnectionResetMidway_RetryConvergesWithoutDuplicate()
    {
        var spec = RichSpec();
        _emulator.Fastly.Faults.ResetNext(1);
        await Assert.ThrowsAnyAsync<Exception>(() => _fastly.CreateServiceAsync("svc-reset", spec));
        _emulator.Fastly.Faults.FailNext(1, 503);
        await Assert.ThrowsAsync<CdnRequestFailedException>(() => _fastly.CreateServiceAsync("svc-reset", spec));

        var created = (await _fastly.CreateServiceAsync("svc-reset", spec)).Value;

        var service = Assert.Single(_emulator.Fastly.Services);
        Assert.Equal(service.Id, created.VendorServiceId);
        Assert.Equal(ProviderStatus.Deployed, created.Status);
    }

    [Fact]
    public async Task MirrorFlavor_FastlyPlusInMemory_ProvisionsPurgesAndDeletesOnBoth()
    {
        var time = new FakeTimeProvider();
        var memory = new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "memory", DeploymentDelay = TimeSpan.Zero, TimeProvider = time });
        using var client = new PoppyClient([_fastly, memory], new PoppyClientOptions().AddFlavor("mirror", FlavorMode.Mirror, "fastly", "memory"), timeProvider: time);

        var service = await (await client.CreateServiceAsync(RichSpec(), "svc-mirror")).WaitForCompletionAsync();
        var report = await client.PurgeAsync("svc-mirror", PurgeRequest.ForUrls("/a.png"));
        await (await client.DeleteServiceAsync("svc-mirror")).WaitForCompletionAsync();

        Assert.Equal(ProviderStatus.Deployed, service!.Status);
        Assert.Equal(["fastly", "memory"], service.Providers.Select(p => p.Provider));
        Assert.True(report.IsSuccess);
        Assert.Equal(2, report.Providers.Count);
        Assert.Empty(_emulator.Fastly.Services);
        Assert.Empty(memory.Services);
    }

    [Fact]
    public async Task MirrorFlavor_FastlyDown_PartialFailureThenRetryConverges()
    {
        var memory = new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "memory", DeploymentDelay = TimeSpan.Zero });
        using var client = new PoppyClient([_fastly, memory], new PoppyClientOptions().AddFlavor("mirror", FlavorMode.Mirror, "fastly", "memory"));
        _emulator.Fastly.Faults.VendorDown = true;

        var failed = await (await client.CreateServiceAsync(RichSpec(), "svc-partial")).WaitForCompletionAsync();
        _emulator.Fastly.Faults.VendorDown = false;
        var converged = await (await client.UpdateServiceAsync("svc-partial", RichSpec())).WaitForCompletionAsync();

        Assert.Equal(ProviderStatus.Failed, failed!.Status);
        Assert.Equal("service_unavailable", failed.Providers.Single(p => p.Provider == "fastly").Error!.Code);
        Assert.Equal(ProviderStatus.Deployed, converged!.Status);
        Assert.Single(_emulator.Fastly.Services);
        Assert.Single(memory.Services);
    }

    [Fact]
    public async Task RateLimitStorm_SurfacesAsRateLimitedWithRetryAfter()
    {
        _emulator.Fastly.Faults.RateLimitNext(3, TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => _fastly.CreateServiceAsync("svc-429", RichSpec()));

        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.Empty(_emulator.Fastly.Services);
    }
}
