using System.Globalization;
using BenchmarkDotNet.Attributes;
using Poppy.Sdk.CloudFront;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// The CloudFront provider end to end over HTTP (SigV4-signed REST-XML) against the in-process emulator on
/// loopback: submitting a create (function create + publish for the restriction, distribution with tags;
/// the deployment itself is CloudFront's wait, not ours) and a URL purge (one invalidation).
/// </summary>
[MemoryDiagnoser]
public class CloudFrontEmulatorBenchmarks
{
    private CdnEmulator _emulator = null!;
    private HttpClient _http = null!;
    private CloudFrontCdnProvider _cloudFront = null!;
    private ServiceSpec _spec = null!;
    private ServiceReference _target;
    private PurgeRequest _purge = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { DeployDelay = TimeSpan.Zero, CloudFront = { InvalidationDelay = TimeSpan.Zero } });
        var options = new CloudFrontCdnProviderOptions
        {
            AccessKeyId = _emulator.CloudFront.Options.AccessKeyId,
            SecretAccessKey = _emulator.CloudFront.Options.SecretAccessKey,
            BaseAddress = _emulator.BaseAddress,
            AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/bench",
        };
        _http = CloudFrontCdnProvider.CreateHttpClient(options);
        _cloudFront = new CloudFrontCdnProvider(_http, options);
        _spec = ServiceSpecValidator.Validate(new ServiceSpec
        {
            Name = "bench",
            FlavorId = "bench",
            Domains = [new DomainSpec("www.bench.example")],
            Origins = [new OriginSpec("origin.bench.example", 443, ssl: true)],
            Caching = [new CachingRule("default", 600, new PathRule("all", "/*")), new CachingRule("images", 86400, new PathRule("images", "/images/*"))],
            Restrictions = [new Restriction("ips", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.0/24"))],
        }).GetNormalizedOrThrow();
        var created = await _cloudFront.CreateServiceAsync("bench-purge", _spec);
        _target = new ServiceReference("bench-purge", (await created.WaitForCompletionAsync(TimeSpan.FromMilliseconds(10))).VendorServiceId);
        _purge = PurgeRequest.ForUrls("/index.html");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Description = "cloudfront: submit create (emulator)")]
    public async Task<string> Create()
    {
        var n = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var operation = await _cloudFront.CreateServiceAsync("bench-" + n, _spec with { Domains = [new DomainSpec("w" + n + ".bench.example")] });
        return operation.Id;
    }

    [Benchmark(Description = "cloudfront: purge one URL (emulator)")]
    public Task<PurgeResult> Purge() => _cloudFront.PurgeAsync(_target, _purge);
}
