using Poppy.Sdk.Emulator;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Akamai.Tests.Integration;

/// <summary>
/// The provider conformance kit: the real Akamai provider against the emulated PAPI and Fast Purge over HTTP, EdgeGrid
/// signing and all. Provider and emulator share a fake clock, so activations complete by advancing it between polls.
/// </summary>
public sealed class AkamaiEmulatorConformanceTests : EmulatorConformanceTests
{
    protected override int ListPageSizeHint => 100;

    protected override ICdnProvider CreateProvider(CdnEmulator emulator)
    {
        // A client token per emulator: Fast Purge budgets are kept per account in the process, and tests run in parallel.
        emulator.Akamai.Options.ClientToken = "akab-conformance-" + Guid.NewGuid().ToString("N")[..16];
        var options = AkamaiEmulatorTestBase.EmulatorOptions(emulator);
        return new AkamaiCdnProvider(AkamaiCdnProvider.CreateHttpClient(options, Time), options, Time);
    }

    protected override IVendorEmulator Vendor(CdnEmulator emulator) => emulator.Akamai;

    /// <summary>The delay the activation suggests (its <c>Retry-After</c>), else a minute.</summary>
    protected override TimeSpan PollDelay(CdnOperation operation) => operation.SuggestedPollingDelay ?? TimeSpan.FromSeconds(60);

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        // The client secret is rotated in Control Center: every signature the provider makes is now wrong (401).
        EmulatorOf(provider).Akamai.Options.ClientSecret = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        return Task.CompletedTask;
    }
}
