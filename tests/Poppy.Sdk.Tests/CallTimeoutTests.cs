using Poppy.Sdk.Models;
using Poppy.Sdk.Testing;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Tests;

/// <summary>The composite's per-call timeout (<see cref="PoppyClientOptions.ProviderCallTimeout"/>), on a fake clock.</summary>
public sealed class CallTimeoutTests
{
    [Fact]
    public async Task ProviderCall_HangsPastTheCallTimeout_ThrowsTransientTimeoutAndCancelsTheCall()
    {
        var time = new TimerAwareTimeProvider();
        var hanging = new HangingProvider(new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "a", TimeProvider = time }));
        var options = new PoppyClientOptions { ProviderCallTimeout = TimeSpan.FromSeconds(30) }.AddFlavor("mirror", FlavorMode.Mirror, "a");
        using var client = new PoppyClient([hanging], options, timeProvider: time);

        var call = client.GetProviderServiceAsync("svc-1", "a");
        await time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => call);
        Assert.Equal((CdnErrorCode.Timeout, true, "a"), (error.ErrorCode, error.IsTransient, error.Provider));
        Assert.True(hanging.SawCancellation);
    }

    [Fact]
    public async Task ProviderCall_CallerCancels_SurfacesAsCancellationNotTimeout()
    {
        var time = new TimerAwareTimeProvider();
        var hanging = new HangingProvider(new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "a", TimeProvider = time }));
        var options = new PoppyClientOptions { ProviderCallTimeout = TimeSpan.FromSeconds(30) }.AddFlavor("mirror", FlavorMode.Mirror, "a");
        using var client = new PoppyClient([hanging], options, timeProvider: time);
        using var cts = new CancellationTokenSource();

        var call = client.GetProviderServiceAsync("svc-1", "a", cts.Token);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(hanging.SawCancellation);
    }

    [Fact]
    public async Task ProviderCall_AnswersInTime_TimeoutDoesNotLinger()
    {
        var time = new TimerAwareTimeProvider();
        var provider = new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "a", TimeProvider = time });
        var options = new PoppyClientOptions { ProviderCallTimeout = TimeSpan.FromSeconds(30) }.AddFlavor("mirror", FlavorMode.Mirror, "a");
        using var client = new PoppyClient([provider], options, timeProvider: time);

        Assert.Null(await client.GetProviderServiceAsync("svc-1", "a"));
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(await client.GetProviderServiceAsync("svc-1", "a"));
        Assert.False(client.IsCircuitOpen("a"));
    }

    /// <summary>A provider whose reads never answer until cancelled.</summary>
    private sealed class HangingProvider(ICdnProvider inner) : DelegatingCdnProvider(inner)
    {
        public bool SawCancellation { get; private set; }

        public override async Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                return null;
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
                throw;
            }
        }
    }
}
