using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Poppy.Sdk.CloudFront;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Fastly;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// DESIGN §8: the purge fan-out of 10,000 distinct full URLs on one mirror service of Fastly + CloudFront over the
/// in-process emulator, on the real clock, against the lower bound the vendors' limits set.
/// </summary>
/// <remarks>
/// <para>
/// CloudFront takes at most 3,000 individual paths in flight per distribution (emulator default), so 10,000 paths are
/// four invalidations (3,000 + 3,000 + 3,000 + 1,000) of which only one can be in progress: the last is accepted after
/// three waits of <see cref="InvalidationDelay"/>. The operation completes when every batch is accepted, so CloudFront's
/// bound is 3 × <see cref="InvalidationDelay"/>. The delay is shortened from the emulator's 30 s default (and the
/// provider's <c>InvalidationRetryInterval</c> from 5 s, in the same proportion) to keep one run short.
/// </para>
/// <para>
/// Fastly is unpaced (its default: Fastly documents URL purges as not rate limited), so its bound is zero wall time by
/// the vendor's limits; what it really costs here is one loopback HTTP call per URL (10,000 calls, 40 composite
/// batches of 256), measured separately by <see cref="FastlyOnly"/>. The overall bound is the max over vendors.
/// </para>
/// <para>
/// Each iteration starts once the emulator has no invalidation in progress (the previous iteration's last one would
/// otherwise hold the first batch back), and ends by checking that this iteration invalidated each path exactly once
/// at CloudFront, in exactly four invalidations, and purged each URL exactly once at Fastly; a miss fails the run.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PurgeFanOutBenchmarks
{
    /// <summary>URLs purged per run.</summary>
    public const int UrlCount = 10_000;

    /// <summary>The emulator's invalidation time (CloudFront: minutes; the emulator's default 30 s).</summary>
    public static readonly TimeSpan InvalidationDelay = TimeSpan.FromSeconds(3);

    /// <summary>The CloudFront provider's retry hint when refused for in-flight limits (default 5 s for 30 s; here 250 ms for 3 s).</summary>
    public static readonly TimeSpan InvalidationRetryInterval = TimeSpan.FromMilliseconds(250);

    private const string MirrorId = "bench-mirror";
    private const string FastlyOnlyId = "bench-fastly";
    private CdnEmulator _emulator = null!;
    private HttpClient _fastlyHttp = null!;
    private HttpClient _cloudFrontHttp = null!;
    private PoppyClient _client = null!;
    private PurgeRequest _purge = null!;
    private HashSet<string> _paths = null!;
    private HashSet<string> _fastlyTargets = null!;
    private int _invalidationsBefore;
    private int _fastlyPurgesBefore;
    private bool _cloudFrontPurged;
    private long _started;

    /// <summary>The lower bound of the mirror purge: max(CloudFront 3 waits of the invalidation time, Fastly unpaced = 0).</summary>
    public static TimeSpan Bound => (((UrlCount + 2999) / 3000) - 1) * InvalidationDelay;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            DeployDelay = TimeSpan.Zero,
            Fastly = { HourlyRateLimit = int.MaxValue },
            CloudFront = { InvalidationDelay = InvalidationDelay },
        });
        var fastlyOptions = new FastlyCdnProviderOptions { ApiToken = _emulator.Fastly.ApiToken, BaseAddress = _emulator.BaseAddress };
        _fastlyHttp = FastlyCdnProvider.CreateHttpClient(fastlyOptions);
        var cloudFrontOptions = new CloudFrontCdnProviderOptions
        {
            AccessKeyId = _emulator.CloudFront.Options.AccessKeyId,
            SecretAccessKey = _emulator.CloudFront.Options.SecretAccessKey,
            BaseAddress = _emulator.BaseAddress,
            AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/bench",
            PollingInterval = TimeSpan.FromMilliseconds(100),
            InvalidationRetryInterval = InvalidationRetryInterval,
        };
        _cloudFrontHttp = CloudFrontCdnProvider.CreateHttpClient(cloudFrontOptions, TimeProvider.System);
        _client = new PoppyClient(
            [new FastlyCdnProvider(_fastlyHttp, fastlyOptions), new CloudFrontCdnProvider(_cloudFrontHttp, cloudFrontOptions)],
            new PoppyClientOptions().AddFlavor("mirror", FlavorMode.Mirror, "fastly", "cloudfront").AddFlavor("fastly", FlavorMode.Mirror, "fastly"));
        await CreateAsync(MirrorId, "mirror", "www.bench.example");
        await CreateAsync(FastlyOnlyId, "fastly", "fastly.bench.example");

        var urls = new string[UrlCount];
        for (var i = 0; i < UrlCount; i++)
        {
            urls[i] = string.Create(CultureInfo.InvariantCulture, $"https://www.bench.example/assets/{i / 100}/file-{i}.css");
        }

        _purge = PurgeRequest.ForUrls(urls);
        _paths = urls.Select(u => new Uri(u).AbsolutePath).ToHashSet(StringComparer.Ordinal);
        _fastlyTargets = urls.Select(u => "www.bench.example" + new Uri(u).AbsolutePath).ToHashSet(StringComparer.Ordinal);
    }

    [IterationSetup]
    public void WaitForRoom()
    {
        // The previous iteration's last invalidation is still in progress: start each run with CloudFront empty.
        while (_emulator.CloudFront.Invalidations.Any(i => i.Status != "Completed"))
        {
            Thread.Sleep(50);
        }

        _invalidationsBefore = _emulator.CloudFront.Invalidations.Count;
        _fastlyPurgesBefore = _emulator.Fastly.Purges.Count;
        _cloudFrontPurged = false;
        _started = Stopwatch.GetTimestamp();
    }

    [IterationCleanup]
    public void Verify()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var fastly = _emulator.Fastly.Purges.Skip(_fastlyPurgesBefore).ToList();
        var problems = new List<string>();
        if (fastly.Count != UrlCount || fastly.Any(p => p.Kind != "url") || fastly.Select(p => p.Target).Distinct(StringComparer.Ordinal).Count() != UrlCount
            || !fastly.All(p => _fastlyTargets.Contains(p.Target)))
        {
            problems.Add($"Fastly: {fastly.Count} URL purges, {fastly.Select(p => p.Target).Distinct(StringComparer.Ordinal).Count()} distinct (expected each of {UrlCount} once)");
        }

        var line = $"[purge fan-out] run {elapsed.TotalSeconds:0.000} s; Fastly: {fastly.Count} URL purges";
        if (_cloudFrontPurged)
        {
            var invalidations = _emulator.CloudFront.Invalidations.Skip(_invalidationsBefore).ToList();
            var paths = invalidations.SelectMany(i => i.Paths).ToList();
            if (invalidations.Count != 4 || paths.Count != UrlCount || !paths.ToHashSet(StringComparer.Ordinal).SetEquals(_paths))
            {
                problems.Add($"CloudFront: {invalidations.Count} invalidations, {paths.Count} paths, {paths.Distinct(StringComparer.Ordinal).Count()} distinct (expected 4 invalidations, each of {UrlCount} paths once)");
            }

            var first = invalidations.Count > 0 ? invalidations[0].CreateTime : default;
            line += $"; CloudFront: {invalidations.Count} invalidations ({paths.Count} paths), accepted at +"
                + string.Join(", +", invalidations.Select(i => (i.CreateTime - first).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture))) + " s after the first"
                + $"; bound {Bound.TotalSeconds:0.###} s, ratio {elapsed / Bound:0.000}";
        }

        Console.WriteLine(line);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The purge did not purge each URL exactly once: " + string.Join("; ", problems));
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        _fastlyHttp.Dispose();
        _cloudFrontHttp.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "purge 10,000 URLs, mirror Fastly + CloudFront (emulator, 3 s invalidations)")]
    public async Task<PurgeReport> Mirror()
    {
        _cloudFrontPurged = true;
        var report = await _client.PurgeAsync(MirrorId, _purge);
        return report.IsSuccess ? report : throw new InvalidOperationException("The purge failed: " + string.Join("; ", report.Providers.Select(p => p.Provider + ": " + p.Failed.Count + " failed batch(es)" + string.Concat(p.Failed.Select(f => " [" + f.Error.Code + ": " + f.Error.Message + "]")))));
    }

    [Benchmark(Description = "purge 10,000 URLs, Fastly only (emulator, unpaced)")]
    public async Task<PurgeReport> FastlyOnly()
    {
        var report = await _client.PurgeAsync(FastlyOnlyId, _purge);
        return report.IsSuccess ? report : throw new InvalidOperationException("The purge failed.");
    }

    private async Task CreateAsync(string serviceId, string flavor, string domain)
    {
        var spec = new ServiceSpec
        {
            Name = serviceId,
            FlavorId = flavor,
            Domains = [new DomainSpec(domain)],
            Origins = [new OriginSpec("origin.bench.example", 443, ssl: true)],
        };
        var operation = await _client.CreateServiceAsync(spec, serviceId);
        await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(50));
        if (operation.Value is not { Status: ProviderStatus.Deployed })
        {
            throw new InvalidOperationException($"Service '{serviceId}' is {operation.Value?.Status}.");
        }
    }
}
