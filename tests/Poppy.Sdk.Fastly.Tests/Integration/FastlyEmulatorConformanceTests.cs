using Poppy.Sdk.Emulator;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Fastly.Tests.Integration;

/// <summary>The provider conformance kit: the real Fastly provider against the emulated Fastly API over HTTP.</summary>
public sealed class FastlyEmulatorConformanceTests : CdnProviderConformanceTests, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly Dictionary<ICdnProvider, CdnEmulator> _emulators = [];

    protected override int ListPageSizeHint => 100;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var d in _disposables)
        {
            await d.DisposeAsync();
        }
    }

    #region create-provider (docs/extending/writing-a-provider.md)
    protected override async Task<ICdnProvider> CreateProviderAsync()
    {
        var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { Fastly = { HourlyRateLimit = 100_000 } });
        _disposables.Add(emulator);
        var options = new FastlyCdnProviderOptions { ApiToken = emulator.Fastly.ApiToken, BaseAddress = emulator.BaseAddress };
        var provider = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(options), options);
        _emulators[provider] = emulator;
        return provider;
    }

    protected override Task InjectTransientFailureAsync(ICdnProvider provider)
    {
        _emulators[provider].Fastly.Faults.FailNext(1, 503);
        return Task.CompletedTask;
    }

    protected override Task InjectRateLimitAsync(ICdnProvider provider, TimeSpan retryAfter)
    {
        _emulators[provider].Fastly.Faults.RateLimitNext(1, retryAfter);
        return Task.CompletedTask;
    }
    #endregion

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        _emulators[provider].Fastly.Faults.FailNext(1, 401);
        return Task.CompletedTask;
    }
}
