using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Emulator.Cloudflare;

namespace Poppy.Sdk.Cloudflare.Tests.Integration;

/// <summary>
/// The provider against the emulated Cloudflare over HTTP, on a shared fake clock. Time only moves between calls (never
/// while the code under test runs), so nothing races the clock.
/// </summary>
public abstract class CloudflareEmulatorTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan DeployDelay = TimeSpan.FromMinutes(2);
    protected static readonly TimeSpan PollingInterval = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    protected CdnEmulator Emulator { get; private set; } = null!;

    protected CloudflareCdnProvider Provider { get; private set; } = null!;

    /// <summary>Whether custom hostnames validate by themselves once the deploy delay has passed (the emulator's default).</summary>
    protected virtual bool AutoValidate => true;

    /// <summary>The zone's plan, at the emulator and in the provider's options (Business by default).</summary>
    protected virtual CloudflarePlanTier Plan => CloudflarePlanTier.Business;

    public async Task InitializeAsync()
    {
        Emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = Time,
            DeployDelay = DeployDelay,
            Cloudflare = { Plan = (CloudflarePlan)(int)Plan, AutoValidate = AutoValidate },
        });
        Provider = NewProvider();
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>The provider's options for the emulator's zone.</summary>
    protected CloudflareCdnProviderOptions Options() => new()
    {
        ApiToken = Emulator.Cloudflare.ApiToken,
        ZoneId = Emulator.Cloudflare.ZoneId,
        AccountId = Emulator.Cloudflare.AccountId,
        CnameTarget = "customers.saas.example.net",
        Plan = Plan,
        BaseAddress = new Uri(Emulator.BaseAddress, "client/v4/"),
        PollingInterval = PollingInterval,
    };

    /// <summary>Another provider instance on the same zone (another process, or this one after a restart).</summary>
    protected CloudflareCdnProvider NewProvider()
    {
        var options = Options();
        return new(CloudflareCdnProvider.CreateHttpClient(options), options, Time);
    }

    /// <summary>Polls until completed, moving the clock by the polling interval between polls (not while one runs).</summary>
    protected async Task CompleteAsync(CdnOperation operation)
    {
        for (var i = 0; i < 200 && !await operation.UpdateStatusAsync(); i++)
        {
            Time.Advance(operation.SuggestedPollingDelay ?? PollingInterval);
        }

        Assert.True(operation.HasCompleted, operation.StatusDescription);
        Assert.Null(operation.Error);
    }

    /// <summary>Creates a service and waits until it is deployed.</summary>
    protected async Task<ProviderServiceDetails> CreateDeployedAsync(string serviceId, Poppy.Sdk.Models.ServiceSpec spec)
    {
        var create = await Provider.CreateServiceAsync(serviceId, TestSpecs.Normalize(spec));
        await CompleteAsync(create);
        return create.Value;
    }
}
