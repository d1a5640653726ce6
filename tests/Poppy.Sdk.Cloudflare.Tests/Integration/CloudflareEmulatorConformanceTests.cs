using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Emulator.Cloudflare;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Cloudflare.Tests.Integration;

/// <summary>
/// The provider conformance kit: the real Cloudflare provider against the emulated Cloudflare API v4 over HTTP (bearer
/// token, envelope, custom hostnames, rulesets, purge_cache), on the Business plan (the kit updates to a 120 s TTL).
/// Provider and emulator share a <see cref="FakeTimeProvider"/>: custom hostnames turn active by advancing the clock.
/// </summary>
public sealed class CloudflareEmulatorConformanceTests : CdnProviderConformanceTests, IAsyncLifetime
{
    private static readonly TimeSpan DeployDelay = TimeSpan.FromMinutes(2);
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly Dictionary<ICdnProvider, CdnEmulator> _emulators = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    // The emulator pages custom hostnames 20 by default: more than one page with 25 services.
    protected override int ListPageSizeHint => 25;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var d in _disposables)
        {
            await d.DisposeAsync();
        }
    }

    protected override async Task<ICdnProvider> CreateProviderAsync()
    {
        var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = _time,
            DeployDelay = DeployDelay,
            Cloudflare = { Plan = CloudflarePlan.Business },
        });
        _disposables.Add(emulator);
        var options = new CloudflareCdnProviderOptions
        {
            ApiToken = emulator.Cloudflare.ApiToken,
            ZoneId = emulator.Cloudflare.ZoneId,
            AccountId = emulator.Cloudflare.AccountId,
            CnameTarget = "customers.saas.example.net",
            Plan = CloudflarePlanTier.Business,
            BaseAddress = new Uri(emulator.BaseAddress, "client/v4/"),
            PollingInterval = TimeSpan.FromSeconds(30),
        };
        var provider = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(options), options, _time);
        _emulators[provider] = emulator;
        return provider;
    }

    /// <summary>Polls, advancing the shared fake clock by the polling interval between polls.</summary>
    protected override async Task CompleteAsync(CdnOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var i = 0; i < 100 && !await operation.UpdateStatusAsync(); i++)
        {
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.True(operation.HasCompleted, $"operation {operation.Id} did not complete: {operation.StatusDescription}");
        if (operation.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    protected override Task InjectTransientFailureAsync(ICdnProvider provider)
    {
        _emulators[provider].Cloudflare.Faults.FailNext(1, 503);
        return Task.CompletedTask;
    }

    protected override Task InjectRateLimitAsync(ICdnProvider provider, TimeSpan retryAfter)
    {
        _emulators[provider].Cloudflare.Faults.RateLimitNext(1, retryAfter);
        return Task.CompletedTask;
    }

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        // The token is rolled at Cloudflare: the one the provider sends is no longer accepted (403, code 10000).
        _emulators[provider].Cloudflare.Options.ApiToken = "rolled-" + Guid.NewGuid().ToString("N");
        return Task.CompletedTask;
    }
}
