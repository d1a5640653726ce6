using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Tests;

/// <summary><c>AddPoppy().AddHealthChecks()</c>: one check per provider, through the composite's resilience layer.</summary>
public sealed class HealthCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    private ServiceProvider Build(Action<IPoppyBuilder>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();                 // as a host does; the health check service logs
        services.AddSingleton<TimeProvider>(_time);
        var poppy = services.AddPoppy(o =>
            {
                o.AddFlavor("mirror", FlavorMode.Mirror, "a", "b");
                o.CircuitBreaker.MinimumThroughput = 2;
                o.CircuitBreaker.FailureRatio = 0.5;
                o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
            })
            .AddHealthChecks()                 // before the providers: the checks are listed when options are built
            .AddInMemoryProvider("a", o => o.DeploymentDelay = TimeSpan.Zero)
            .AddInMemoryProvider("b", o => o.DeploymentDelay = TimeSpan.Zero);
        more?.Invoke(poppy);
        return services.BuildServiceProvider();
    }

    private static InMemoryCdnProvider Provider(IServiceProvider sp, string name) => (InMemoryCdnProvider)sp.GetRequiredKeyedService<ICdnProvider>(name);

    [Fact]
    public async Task AddHealthChecks_TwoProviders_OneHealthyCheckEachThatReadsTheVendor()
    {
        await using var sp = Build();

        var report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(["poppy:a", "poppy:b"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(report.Entries.Values, e => Assert.Equal(HealthStatus.Healthy, e.Status));
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(1, Provider(sp, "a").CallCount("verify"));
        Assert.Equal(1, Provider(sp, "b").CallCount("verify"));
    }

    [Fact]
    public async Task AddHealthChecks_CalledTwiceAndThroughIHealthChecksBuilder_StillOneCheckPerProvider()
    {
        await using var sp = Build(poppy =>
        {
            poppy.AddHealthChecks(tags: ["ignored-second-call"]);
            poppy.Services.AddHealthChecks().AddPoppy();
        });

        var report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(2, report.Entries.Count);
    }

    [Fact]
    public async Task CheckHealth_AuthenticationFails_UnhealthyWithTheMappedMessage()
    {
        await using var sp = Build();
        Provider(sp, "a").Faults.FailNextAuth("verify");

        var report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var a = report.Entries["poppy:a"];
        Assert.Equal(HealthStatus.Unhealthy, a.Status);
        Assert.Contains("Injected authentication failure (401)", a.Description, StringComparison.Ordinal);
        Assert.Equal("unauthorized", a.Data["code"]);
        Assert.Equal(HealthStatus.Healthy, report.Entries["poppy:b"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task CheckHealth_CircuitOpen_DegradedWithoutCallingThenTheTrialCallClosesIt()
    {
        await using var sp = Build();
        var client = sp.GetRequiredService<PoppyClient>();
        var a = Provider(sp, "a");
        a.Faults.SetUnavailable(true);
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<CdnRequestFailedException>(() => client.GetProviderServiceAsync("svc-1", "a"));
        }

        Assert.True(client.IsCircuitOpen("a"));
        var health = sp.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Entries["poppy:a"].Status);
        Assert.Contains("circuit", report.Entries["poppy:a"].Description, StringComparison.Ordinal);
        Assert.Equal(0, a.CallCount("verify"));                                   // no call through the open circuit
        Assert.Equal(HealthStatus.Healthy, report.Entries["poppy:b"].Status);

        // After the break duration the check's read is the trial call; the vendor is back, so the circuit closes.
        a.Faults.SetUnavailable(false);
        _time.Advance(TimeSpan.FromSeconds(31));
        report = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["poppy:a"].Status);
        Assert.Equal(1, a.CallCount("verify"));
        Assert.False(client.IsCircuitOpen("a"));
    }

    [Fact]
    public async Task CheckHealth_FastlyRejectsTheToken_UnhealthyAndNoSecretInTheResult()
    {
        const string WrongToken = "hc-wrong-token-5f0c1e9a7d3b4c2e";
        await using var emulator = await CdnEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "fastly"))
            .AddFastly("fastly", o => (o.ApiToken, o.BaseAddress) = (WrongToken, emulator.BaseAddress))
            .AddHealthChecks();
        await using var sp = services.BuildServiceProvider();

        var report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var fastly = report.Entries["poppy:fastly"];
        Assert.Equal(HealthStatus.Unhealthy, fastly.Status);
        Assert.Equal("unauthorized", fastly.Data["code"]);
        Assert.Contains(emulator.Fastly.Calls.Calls, c => c.Status == 401);
        var everything = string.Join('\n', [fastly.Description, .. fastly.Data.Values.Select(v => v.ToString()), fastly.Exception?.ToString()]);
        Assert.DoesNotContain(WrongToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.Fastly.ApiToken, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_BothVendorsOverTheEmulator_HealthyWithOneSmallReadEach()
    {
        await using var emulator = await CdnEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "fastly", "cloudfront"))
            .AddFastly("fastly", o => (o.ApiToken, o.BaseAddress) = (emulator.Fastly.ApiToken, emulator.BaseAddress))
            .AddCloudFront("cloudfront", o => (o.AccessKeyId, o.SecretAccessKey, o.BaseAddress) = (emulator.CloudFront.AccessKeyId, emulator.CloudFront.SecretAccessKey, emulator.BaseAddress))
            .AddHealthChecks();
        await using var sp = services.BuildServiceProvider();

        var report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["poppy:fastly"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["poppy:cloudfront"].Status);
        Assert.Equal(new EmulatorCall("GET", "/service", 200), Assert.Single(emulator.Fastly.Calls.Calls));           // per_page=1
        Assert.Equal(new EmulatorCall("GET", "/2020-05-31/distribution", 200), Assert.Single(emulator.CloudFront.Calls.Calls));   // MaxItems=1
    }
}
