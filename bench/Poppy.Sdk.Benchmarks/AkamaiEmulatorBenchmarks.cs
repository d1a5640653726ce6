using System.Globalization;
using BenchmarkDotNet.Attributes;
using Poppy.Sdk.Akamai;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Emulator.Akamai;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// The Akamai provider end to end over HTTP (EdgeGrid-signed PAPI and Fast Purge JSON) against the in-process emulator
/// on loopback: submitting a create (find by name, CP code, edge hostname, property, rules and hostnames with etags,
/// the staging activation; the activation itself is Akamai's wait, not ours) and a URL purge (one Fast Purge request).
/// The provider paces Fast Purge with the account's token buckets (50 requests a second), as Akamai does; to measure
/// the call rather than the pacing, the provider's clock moves one second per purge (the emulator accepts the skew).
/// </summary>
[MemoryDiagnoser]
public class AkamaiEmulatorBenchmarks
{
    private readonly SteppedClock _time = new();
    private CdnEmulator _emulator = null!;
    private HttpClient _http = null!;
    private AkamaiCdnProvider _akamai = null!;
    private ServiceSpec _spec = null!;
    private ServiceReference _target;
    private PurgeRequest _purge = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            DeployDelay = TimeSpan.Zero,
            Akamai =
            {
                AllowedClockSkew = TimeSpan.FromDays(3650),
                RequestBucket = new PurgeBucket(1e9, 1e9),
                UrlBucket = new PurgeBucket(1e9, 1e9),
            },
        });
        var emulated = _emulator.Akamai.Options;
        var options = new AkamaiCdnProviderOptions
        {
            BaseAddress = _emulator.BaseAddress,
            ClientToken = emulated.ClientToken,
            ClientSecret = emulated.ClientSecret,
            AccessToken = emulated.AccessToken,
            ContractId = "ctr_" + emulated.ContractId,
            GroupId = "grp_" + emulated.GroupId,
            ProductId = "prd_" + emulated.Products[0],
            NotifyEmails = ["bench@bench.example"],
            PollingInterval = TimeSpan.FromMilliseconds(10),
        };
        _http = AkamaiCdnProvider.CreateHttpClient(options, _time);
        _akamai = new AkamaiCdnProvider(_http, options, _time);
        _spec = ServiceSpecValidator.Validate(new ServiceSpec
        {
            Name = "bench",
            FlavorId = "bench",
            Domains = [new DomainSpec("www.bench.example")],
            Origins = [new OriginSpec("origin.bench.example", 443, ssl: true)],
            Caching = [new CachingRule("default", 600, new PathRule("all", "/*")), new CachingRule("images", 86400, new PathRule("images", "/images/*"))],
            Restrictions = [new Restriction("ips", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.0/24"))],
        }).GetNormalizedOrThrow();
        // The property is found by its stamped name (and its hostnames kept by the provider after the first purge).
        await _akamai.CreateServiceAsync("bench-purge", _spec);
        _target = new ServiceReference("bench-purge");
        _purge = PurgeRequest.ForUrls("/index.html");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Description = "akamai: submit create (emulator)")]
    public async Task<string> Create()
    {
        var n = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var operation = await _akamai.CreateServiceAsync("bench-" + n, _spec with { Domains = [new DomainSpec("w" + n + ".bench.example")] });
        return operation.Id;
    }

    [Benchmark(Description = "akamai: purge one URL (emulator)")]
    public Task<PurgeResult> Purge()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return _akamai.PurgeAsync(_target, _purge);
    }

    /// <summary>The provider's clock: the system's, plus the seconds the purges have stepped it on.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
    }
}
