using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Cloudflare;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// The Cloudflare provider end to end over HTTP (bearer token, v4 JSON envelope) against the in-process emulator on
/// loopback: submitting a create (custom hostname lookup and create, then each rule by <c>ref</c> in its phase entry
/// point; the hostname's validation is Cloudflare's wait, not ours) and a URL purge (the service's hostnames, then one
/// <c>purge_cache</c>). Creates and purges run against two emulators: the create emulator is emptied every
/// <see cref="ResetEvery"/> creates (inside the measurement, amortized) so the entry points stay under the plan's rule
/// limit; the purge emulator's clock moves a second per purge so its token buckets never refuse.
/// </summary>
[MemoryDiagnoser]
public class CloudflareEmulatorBenchmarks
{
    private const int ResetEvery = 100;
    private readonly FakeTimeProvider _purgeClock = new();
    private CdnEmulator _createEmulator = null!;
    private CdnEmulator _purgeEmulator = null!;
    private HttpClient _createHttp = null!;
    private HttpClient _purgeHttp = null!;
    private CloudflareCdnProvider _create = null!;
    private CloudflareCdnProvider _purge = null!;
    private ServiceSpec _spec = null!;
    private ServiceReference _target;
    private PurgeRequest _purgeRequest = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _createEmulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { DeployDelay = TimeSpan.Zero, Cloudflare = { GlobalRateLimit = int.MaxValue } });
        _purgeEmulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = _purgeClock, DeployDelay = TimeSpan.Zero, Cloudflare = { GlobalRateLimit = int.MaxValue } });
        (_create, _createHttp) = Provider(_createEmulator);
        (_purge, _purgeHttp) = Provider(_purgeEmulator);
        _spec = ServiceSpecValidator.Validate(new ServiceSpec
        {
            Name = "bench",
            FlavorId = "bench",
            Domains = [new DomainSpec("www.bench.example")],
            Origins = [new OriginSpec("origin.bench.example", 443, ssl: true)],
            Caching = [new CachingRule("default", 600, new PathRule("all", "/*"))],
            Restrictions = [new Restriction("ips", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.0/24"))],
        }).GetNormalizedOrThrow();
        var created = await _purge.CreateServiceAsync("bench-purge", _spec);
        _purgeClock.Advance(TimeSpan.FromSeconds(1));
        _target = new ServiceReference("bench-purge", (await created.WaitForCompletionAsync(TimeSpan.FromMilliseconds(10))).VendorServiceId);
        _purgeRequest = PurgeRequest.ForUrls("/index.html");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _createHttp.Dispose();
        _purgeHttp.Dispose();
        await _createEmulator.DisposeAsync();
        await _purgeEmulator.DisposeAsync();
    }

    [Benchmark(Description = "cloudflare: submit create (emulator)")]
    public async Task<string> Create()
    {
        var i = Interlocked.Increment(ref _next);
        if (i % ResetEvery == 0)
        {
            _createEmulator.Cloudflare.Reset();
        }

        var n = i.ToString(CultureInfo.InvariantCulture);
        var operation = await _create.CreateServiceAsync("bench-" + n, _spec with { Domains = [new DomainSpec("w" + n + ".bench.example")] });
        return operation.Id;
    }

    [Benchmark(Description = "cloudflare: purge one URL (emulator)")]
    public Task<PurgeResult> Purge()
    {
        _purgeClock.Advance(TimeSpan.FromSeconds(1));
        return _purge.PurgeAsync(_target, _purgeRequest);
    }

    private static (CloudflareCdnProvider Provider, HttpClient Http) Provider(CdnEmulator emulator)
    {
        var options = new CloudflareCdnProviderOptions
        {
            ApiToken = emulator.Cloudflare.ApiToken,
            ZoneId = emulator.Cloudflare.ZoneId,
            CnameTarget = "customers.saas.example.net",
            Plan = CloudflarePlanTier.Enterprise,
            BaseAddress = new Uri(emulator.BaseAddress, "client/v4/"),
        };
        var http = CloudflareCdnProvider.CreateHttpClient(options);
        return (new CloudflareCdnProvider(http, options), http);
    }
}
