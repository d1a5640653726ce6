using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;

namespace Poppy.Sdk.CloudFront.Tests.Integration;

/// <summary>
/// The provider against the emulated CloudFront over HTTP, on a shared fake clock. Time only moves between calls (never
/// while the code under test runs), so nothing races the clock.
/// </summary>
public abstract class CloudFrontEmulatorTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan DeployDelay = TimeSpan.FromMinutes(4);
    protected static readonly TimeSpan InvalidationDelay = TimeSpan.FromMinutes(2);
    protected static readonly TimeSpan PollingInterval = TimeSpan.FromSeconds(20);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    protected CdnEmulator Emulator { get; private set; } = null!;

    protected CloudFrontCdnProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = Time,
            DeployDelay = DeployDelay,
            CloudFront = { InvalidationDelay = InvalidationDelay },
        });
        Provider = NewProvider();
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>The provider's options for the emulator's account.</summary>
    protected CloudFrontCdnProviderOptions Options() => new()
    {
        AccessKeyId = Emulator.CloudFront.AccessKeyId,
        SecretAccessKey = Emulator.CloudFront.SecretAccessKey,
        BaseAddress = Emulator.BaseAddress,
        AcmCertificateArn = CloudFrontMock.AcmArn,
        PollingInterval = PollingInterval,
    };

    /// <summary>Another provider instance on the same account (another process, or this one after a restart).</summary>
    protected CloudFrontCdnProvider NewProvider()
    {
        var options = Options();
        return new(CloudFrontCdnProvider.CreateHttpClient(options, Time), options, Time);
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
