using BenchmarkDotNet.Attributes;
using Poppy.Sdk.Models;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// DESIGN §8: the composite client's overhead (validation, routing, circuit breaker, telemetry) on a
/// purge or a get, against calling the provider directly. The provider is the in-memory one (no
/// HTTP), so the ratio isolates the composite's own cost.
/// </summary>
[MemoryDiagnoser]
public class CompositeOverheadBenchmarks
{
    private const string ServiceId = "bench-service";
    private InMemoryCdnProvider _provider = null!;
    private PoppyClient _client = null!;
    private ServiceReference _reference;
    private PurgeRequest _purge = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _provider = new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "memory", DeploymentDelay = TimeSpan.Zero });
        _client = new PoppyClient([_provider], new PoppyClientOptions().AddFlavor("bench", FlavorMode.Mirror, "memory"));
        var spec = new ServiceSpec
        {
            Name = "benchmark",
            FlavorId = "bench",
            Domains = [new DomainSpec("www.bench.example")],
            Origins = [new OriginSpec("origin.bench.example") { Rules = [new PathRule("default", "/*")] }],
        };
        var op = await _client.CreateServiceAsync(spec, ServiceId);
        var service = await op.WaitForCompletionAsync();
        _reference = new ServiceReference(ServiceId, service!.Providers[0].VendorServiceId);
        _purge = PurgeRequest.ForUrls("/index.html");
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true, Description = "purge: provider directly")]
    [BenchmarkCategory("purge")]
    public Task<PurgeResult> PurgeDirect() => _provider.PurgeAsync(_reference, _purge);

    [Benchmark(Description = "purge: composite client")]
    [BenchmarkCategory("purge")]
    public Task<PurgeReport> PurgeComposite() => _client.PurgeAsync(ServiceId, _purge);

    [Benchmark(Description = "get: provider directly")]
    [BenchmarkCategory("get")]
    public Task<ProviderService?> GetDirect() => _provider.GetServiceAsync(_reference);

    [Benchmark(Description = "get: composite client")]
    [BenchmarkCategory("get")]
    public Task<ProviderService?> GetComposite() => _client.GetProviderServiceAsync(ServiceId, "memory");
}
