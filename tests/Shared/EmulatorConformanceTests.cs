using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.TestSupport;

/// <summary>
/// The provider conformance kit against a vendor of the in-process emulator, over HTTP: one emulator per provider the
/// kit creates, all on one shared <see cref="FakeTimeProvider"/>, so asynchronous deployments complete by advancing the
/// clock between polls, never by waiting. Faults go through the vendor's own <see cref="IVendorEmulator.Faults"/>.
/// A vendor's class says how to build its provider on an emulator, and how its credentials stop working.
/// </summary>
public abstract class EmulatorConformanceTests : CdnProviderConformanceTests, IAsyncLifetime
{
    private readonly List<CdnEmulator> _started = [];
    private readonly Dictionary<ICdnProvider, CdnEmulator> _emulators = [];

    /// <summary>The clock shared by every emulator and provider of the test.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var emulator in _started)
        {
            await emulator.DisposeAsync();
        }
    }

    /// <summary>The options each emulator starts with (default: the shared clock, deployments taking 3 minutes).</summary>
    protected virtual CdnEmulatorOptions EmulatorOptions() => new() { TimeProvider = Time, DeployDelay = TimeSpan.FromMinutes(3) };

    /// <summary>The real provider, pointed at the emulator and signing with the shared clock.</summary>
    protected abstract ICdnProvider CreateProvider(CdnEmulator emulator);

    /// <summary>The vendor under test in an emulator.</summary>
    protected abstract IVendorEmulator Vendor(CdnEmulator emulator);

    /// <summary>How far to move the clock between two polls of an operation (default 30 s).</summary>
    protected virtual TimeSpan PollDelay(CdnOperation operation) => TimeSpan.FromSeconds(30);

    /// <summary>The emulator a provider of this test talks to.</summary>
    protected CdnEmulator EmulatorOf(ICdnProvider provider) => _emulators[provider];

    /// <inheritdoc />
    protected sealed override async Task<ICdnProvider> CreateProviderAsync()
    {
        var emulator = await CdnEmulator.StartAsync(EmulatorOptions());
        _started.Add(emulator);
        var provider = CreateProvider(emulator);
        _emulators[provider] = emulator;
        return provider;
    }

    /// <summary>Polls, advancing the shared fake clock by <see cref="PollDelay"/> between polls.</summary>
    protected sealed override async Task CompleteAsync(CdnOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var i = 0; i < 100 && !await operation.UpdateStatusAsync(); i++)
        {
            Time.Advance(PollDelay(operation));
        }

        Assert.True(operation.HasCompleted, $"operation {operation.Id} did not complete: {operation.StatusDescription}");
        if (operation.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <inheritdoc />
    protected sealed override Task InjectTransientFailureAsync(ICdnProvider provider)
    {
        Vendor(EmulatorOf(provider)).Faults.FailNext(1, 503);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected sealed override Task InjectRateLimitAsync(ICdnProvider provider, TimeSpan retryAfter)
    {
        Vendor(EmulatorOf(provider)).Faults.RateLimitNext(1, retryAfter);
        return Task.CompletedTask;
    }
}
