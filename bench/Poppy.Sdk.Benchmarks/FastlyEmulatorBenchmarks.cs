using BenchmarkDotNet.Attributes;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Fastly;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// The Fastly provider end to end over HTTP against the in-process emulator on loopback: a full
/// create (search, service, version objects, validate, activate) and a URL purge.
/// </summary>
[MemoryDiagnoser]
public class FastlyEmulatorBenchmarks
{
    private CdnEmulator _emulator = null!;
    private HttpClient _http = null!;
    private FastlyCdnProvider _fastly = null!;
    private ServiceSpec _spec = null!;
    private ServiceReference _purgeTarget;
    private PurgeRequest _purge = null!;
    private PoppyClient _client = null!;
    private ServiceReference _compositeTarget;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { Fastly = { HourlyRateLimit = int.MaxValue } });
        var options = new FastlyCdnProviderOptions { ApiToken = _emulator.Fastly.ApiToken, BaseAddress = _emulator.BaseAddress };
        _http = FastlyCdnProvider.CreateHttpClient(options);
        _fastly = new FastlyCdnProvider(_http, options);
        _spec = ServiceSpecValidator.Validate(new ServiceSpec
        {
            Name = "bench",
            FlavorId = "bench",
            Domains = [new DomainSpec("www.bench.example")],
            Origins = [new OriginSpec("origin.bench.example", 443, ssl: true)],
            Caching = [new CachingRule("default", 600, new PathRule("all", "/*")), new CachingRule("images", 86400, new PathRule("images", "/images/*"))],
            Restrictions = [new Restriction("ips", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.0/24"))],
        }).GetNormalizedOrThrow();
        var created = await _fastly.CreateServiceAsync("bench-purge", _spec);
        _purgeTarget = new ServiceReference("bench-purge", created.Value.VendorServiceId);
        _purge = PurgeRequest.ForUrls("/index.html");
        _client = new PoppyClient([_fastly], new PoppyClientOptions().AddFlavor("bench", FlavorMode.Mirror, "fastly"));
        var composite = await (await _client.CreateServiceAsync(_spec, "bench-composite")).WaitForCompletionAsync();
        _compositeTarget = new ServiceReference("bench-composite", composite!.Providers[0].VendorServiceId);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Description = "fastly: create service (emulator)")]
    public async Task<ProviderServiceDetails> Create() =>
        (await _fastly.CreateServiceAsync("bench-" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture), _spec)).Value;

    [Benchmark(Baseline = true, Description = "fastly: purge one URL, provider directly (emulator)")]
    public Task<PurgeResult> Purge() => _fastly.PurgeAsync(_compositeTarget, _purge);

    [Benchmark(Description = "fastly: purge one URL, composite client (emulator)")]
    public Task<PurgeReport> PurgeComposite() => _client.PurgeAsync("bench-composite", _purge);

    [Benchmark(Description = "fastly: get, provider directly (emulator)")]
    public Task<ProviderService?> Get() => _fastly.GetServiceAsync(_compositeTarget);

    [Benchmark(Description = "fastly: get, composite client (emulator)")]
    public Task<ProviderService?> GetComposite() => _client.GetProviderServiceAsync("bench-composite", "fastly");
}
