using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Models;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Soak.Tests;

/// <summary>
/// What the soak runs against, wired as an application would: <c>services.AddPoppy(...).AddFastly(...).AddCloudFront(...)</c>
/// pointed at the in-process emulator (with a CloudFront session token on both sides) plus three in-memory CDNs, all on
/// the real clock with short deployment and invalidation delays, small resilience timeouts, and logs collected at Trace.
/// </summary>
internal sealed class SoakEnvironment : IAsyncDisposable
{
    public const string FastlyToken = "soak-fastly-api-token-7Qx2Lm9Vb4Nz";
    public const string CloudFrontSecret = "soak-cloudfront-secret-key-Hd83Kq0Wm2Zr";
    public const string CloudFrontSessionToken = "soak-cloudfront-session-token-Fy61Pt5Jc8Ua";
    public static readonly string[] MemoryNames = ["mem-a", "mem-b", "mem-c"];

    /// <summary>The flavors: both modes, over vendors and in-memory CDNs.</summary>
    public static readonly (string Id, FlavorMode Mode, string[] Providers)[] Flavors =
    [
        ("mirror-vendors", FlavorMode.Mirror, ["fastly", "cloudfront"]),
        ("mirror-mixed", FlavorMode.Mirror, ["mem-a", "fastly", "cloudfront"]),
        ("failover-vendors", FlavorMode.Failover, ["cloudfront", "fastly", "mem-b"]),
        ("failover-memory", FlavorMode.Failover, ["mem-b", "mem-c", "fastly"]),
    ];

    private readonly ServiceProvider _services;

    private SoakEnvironment(CdnEmulator emulator, ServiceProvider services)
    {
        Emulator = emulator;
        _services = services;
        Client = services.GetRequiredService<PoppyClient>();
        Logs = services.GetRequiredService<FakeLogCollector>();
        Memory = MemoryNames.ToDictionary(n => n, n => (InMemoryCdnProvider)services.GetRequiredKeyedService<ICdnProvider>(n), StringComparer.Ordinal);
    }

    public CdnEmulator Emulator { get; }

    public PoppyClient Client { get; }

    public FakeLogCollector Logs { get; }

    public IReadOnlyDictionary<string, InMemoryCdnProvider> Memory { get; }

    public static IReadOnlyDictionary<string, string> Secrets { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Fastly API token"] = FastlyToken,
        ["CloudFront secret access key"] = CloudFrontSecret,
        ["CloudFront session token"] = CloudFrontSessionToken,
    };

    public static async Task<SoakEnvironment> StartAsync(int seed)
    {
        var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            Seed = seed,
            DeployDelay = TimeSpan.FromMilliseconds(40),
            Fastly = { ApiToken = FastlyToken, HourlyRateLimit = int.MaxValue },
            CloudFront = { SecretAccessKey = CloudFrontSecret, SessionToken = CloudFrontSessionToken, InvalidationDelay = TimeSpan.FromMilliseconds(100) },
        });

        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        var poppy = services.AddPoppy(o =>
        {
            foreach (var (id, mode, providers) in Flavors)
            {
                o.AddFlavor(id, mode, providers);
            }

            o.CircuitBreaker.MinimumThroughput = 4;
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(2);
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
            o.ProviderCallTimeout = TimeSpan.FromSeconds(8);
        });
        var fastly = poppy.AddFastly("fastly", o =>
        {
            o.ApiToken = FastlyToken;
            o.BaseAddress = emulator.BaseAddress;
            // The emulated account has no hourly limit (HourlyRateLimit above), so the client paces no writes either:
            // the soak sends thousands in minutes, which the default 1,000 per hour would stretch to hours.
            o.WriteRequestsPerHour = 0;
        });
        var cloudFront = poppy.AddCloudFront("cloudfront", o =>
        {
            o.AccessKeyId = emulator.CloudFront.AccessKeyId;
            o.SecretAccessKey = CloudFrontSecret;
            o.SessionToken = CloudFrontSessionToken;
            o.BaseAddress = emulator.BaseAddress;
            o.AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
            o.PollingInterval = TimeSpan.FromMilliseconds(50);
            o.InvalidationRetryInterval = TimeSpan.FromMilliseconds(200);
        });
        foreach (var name in MemoryNames)
        {
            poppy.AddInMemoryProvider(name, o => o.DeploymentDelay = TimeSpan.FromMilliseconds(40));
        }

        // The HTTP layer's standard resilience handler, made quick: short backoff and attempt timeouts.
        foreach (var client in new[] { fastly.HttpClientName!, cloudFront.HttpClientName! })
        {
            services.Configure<HttpStandardResilienceOptions>(client + "-standard", o =>
            {
                o.Retry.Delay = TimeSpan.FromMilliseconds(20);
                o.Retry.MaxRetryAttempts = 2;
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(6);
            });
        }

        return new SoakEnvironment(emulator, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    /// <summary>A service spec: variant 0 is basic, 1 adds a path-cached rule, 2 adds a referrer restriction (a CloudFront Function).</summary>
    public static ServiceSpec Spec(string serviceId, string flavor, int variant) => new()
    {
        Name = "soak " + serviceId,
        FlavorId = flavor,
        Domains = [new DomainSpec(serviceId + ".soak.example.com")],
        Origins = [new OriginSpec("origin.soak.example.net") { Rules = [new PathRule("default", "/*")] }],
        Caching = variant == 0
            ? [new CachingRule("default", 3600, new PathRule("default", "/*"))]
            : [new CachingRule("static", 600 + variant, new PathRule("static", "/static/*")), new CachingRule("default", 3600, new PathRule("default", "/*"))],
        Restrictions = variant == 2 ? [new Restriction("referrers", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer("www.soak.example.org"))] : [],
    };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
