using Microsoft.Extensions.Logging.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Akamai.Tests.Integration;

/// <summary>
/// The provider against the emulated Akamai (PAPI, Fast Purge, EdgeGrid) over HTTP, on a shared fake clock. The clock
/// moves only between polls (never while the code under test runs), so nothing races it.
/// </summary>
public abstract class AkamaiEmulatorTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan DeployDelay = TimeSpan.FromMinutes(5);
    protected static readonly TimeSpan PollingInterval = TimeSpan.FromSeconds(60);

    internal TimerAwareTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    protected CdnEmulator Emulator { get; private set; } = null!;

    protected AkamaiCdnProvider Provider { get; private set; } = null!;

    protected FakeLogCollector Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = Time, DeployDelay = DeployDelay });

        // A client token per test: Fast Purge budgets are kept per account in the process, and tests run in parallel.
        Emulator.Akamai.Options.ClientToken = "akab-emulator-" + Guid.NewGuid().ToString("N")[..16];
        Provider = NewProvider();
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>The provider's options for the emulator's account (ids as PAPI prints them with prefixes).</summary>
    protected AkamaiCdnProviderOptions Options() => EmulatorOptions(Emulator);

    /// <summary>The provider's options for an emulator's account.</summary>
    internal static AkamaiCdnProviderOptions EmulatorOptions(CdnEmulator emulator) => new()
    {
        BaseAddress = emulator.BaseAddress,
        ClientToken = emulator.Akamai.Options.ClientToken,
        ClientSecret = emulator.Akamai.Options.ClientSecret,
        AccessToken = emulator.Akamai.Options.AccessToken,
        ContractId = "ctr_" + emulator.Akamai.Options.ContractId,
        GroupId = "grp_" + emulator.Akamai.Options.GroupId,
        ProductId = "prd_" + emulator.Akamai.Options.Products[0],
        NotifyEmails = ["ops@example.com"],
        PollingInterval = PollingInterval,
        BusyRetryDelay = TimeSpan.FromSeconds(10),
    };

    /// <summary>Another provider instance on the same account (another process, or this one after a restart).</summary>
    protected AkamaiCdnProvider NewProvider(Action<AkamaiCdnProviderOptions>? configure = null)
    {
        var options = Options();
        configure?.Invoke(options);
        return new(AkamaiCdnProvider.CreateHttpClient(options, Time), options, Time, new FakeLogger<AkamaiCdnProvider>(Logs));
    }

    /// <summary>Polls until completed, moving the clock by the suggested delay between polls (not while one runs).</summary>
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
        var create = await Provider.CreateServiceAsync(serviceId, CreateServiceTests.Normalize(spec));
        await CompleteAsync(create);
        return create.Value;
    }
}
