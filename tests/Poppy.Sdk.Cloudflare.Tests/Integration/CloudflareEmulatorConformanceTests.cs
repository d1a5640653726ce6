using Poppy.Sdk.Emulator;
using Poppy.Sdk.Emulator.Cloudflare;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Cloudflare.Tests.Integration;

/// <summary>
/// The provider conformance kit: the real Cloudflare provider against the emulated Cloudflare API v4 over HTTP (bearer
/// token, envelope, custom hostnames, rulesets, purge_cache), on the Business plan (the kit updates to a 120 s TTL).
/// Provider and emulator share a <see cref="FakeTimeProvider"/>: custom hostnames turn active by advancing the clock.
/// </summary>
public sealed class CloudflareEmulatorConformanceTests : EmulatorConformanceTests
{
    // The emulator pages custom hostnames 20 by default: more than one page with 25 services.
    protected override int ListPageSizeHint => 25;

    protected override CdnEmulatorOptions EmulatorOptions()
    {
        var options = base.EmulatorOptions();
        options.DeployDelay = TimeSpan.FromMinutes(2);
        options.Cloudflare.Plan = CloudflarePlan.Business;
        return options;
    }

    protected override ICdnProvider CreateProvider(CdnEmulator emulator)
    {
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
        return new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(options), options, Time);
    }

    protected override IVendorEmulator Vendor(CdnEmulator emulator) => emulator.Cloudflare;

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        // The token is rolled at Cloudflare: the one the provider sends is no longer accepted (403, code 10000).
        EmulatorOf(provider).Cloudflare.Options.ApiToken = "rolled-" + Guid.NewGuid().ToString("N");
        return Task.CompletedTask;
    }
}
