using Poppy.Sdk.Emulator;
using Poppy.Sdk.Testing;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Akamai.Tests.Integration;

/// <summary>
/// The provider conformance kit: the real Akamai provider against the emulated PAPI and Fast Purge over HTTP, EdgeGrid
/// signing and all. Provider and emulator share a fake clock, so activations complete by advancing it between polls.
/// </summary>
public sealed class AkamaiEmulatorConformanceTests : CdnProviderConformanceTests, IAsyncLifetime
{
    private static readonly TimeSpan DeployDelay = TimeSpan.FromMinutes(3);
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly Dictionary<ICdnProvider, CdnEmulator> _emulators = [];
    private readonly TimerAwareTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    protected override int ListPageSizeHint => 100;

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
        var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = _time, DeployDelay = DeployDelay });
        _disposables.Add(emulator);

        // A client token per emulator: Fast Purge budgets are kept per account in the process, and tests run in parallel.
        emulator.Akamai.Options.ClientToken = "akab-conformance-" + Guid.NewGuid().ToString("N")[..16];
        var options = AkamaiEmulatorTestBase.EmulatorOptions(emulator);
        var provider = new AkamaiCdnProvider(AkamaiCdnProvider.CreateHttpClient(options, _time), options, _time);
        _emulators[provider] = emulator;
        return provider;
    }

    /// <summary>Polls, advancing the shared fake clock by the suggested delay between polls.</summary>
    protected override async Task CompleteAsync(CdnOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var i = 0; i < 100 && !await operation.UpdateStatusAsync(); i++)
        {
            _time.Advance(operation.SuggestedPollingDelay ?? TimeSpan.FromSeconds(60));
        }

        Assert.True(operation.HasCompleted, $"operation {operation.Id} did not complete: {operation.StatusDescription}");
        if (operation.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    protected override Task InjectTransientFailureAsync(ICdnProvider provider)
    {
        _emulators[provider].Akamai.Faults.FailNext(1, 503);
        return Task.CompletedTask;
    }

    protected override Task InjectRateLimitAsync(ICdnProvider provider, TimeSpan retryAfter)
    {
        _emulators[provider].Akamai.Faults.RateLimitNext(1, retryAfter);
        return Task.CompletedTask;
    }

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        // The client secret is rotated in Control Center: every signature the provider makes is now wrong (401).
        _emulators[provider].Akamai.Options.ClientSecret = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        return Task.CompletedTask;
    }
}
