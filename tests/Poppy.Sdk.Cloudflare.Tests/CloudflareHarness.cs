using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>A provider on the stateful <see cref="FakeCloudflare"/>, a timer-aware fake clock and a fake logger.</summary>
internal sealed class CloudflareHarness
{
    public CloudflareHarness(Action<CloudflareCdnProviderOptions>? configure = null, FakeCloudflare? zone = null)
    {
        Zone = zone ?? new FakeCloudflare();
        Options = NewOptions();
        configure?.Invoke(Options);
        Provider = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(Options, Zone), Options, Time, Logger);
    }

    public FakeCloudflare Zone { get; }

    public TimerAwareTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeLogger<CloudflareCdnProvider> Logger { get; } = new();

    public CloudflareCdnProviderOptions Options { get; }

    public CloudflareCdnProvider Provider { get; }

    public static CloudflareCdnProviderOptions NewOptions() => new()
    {
        ApiToken = FakeCloudflare.Token,
        ZoneId = FakeCloudflare.ZoneId,
        AccountId = "01a7362d577a6c3019a474fd6f485823",
        CnameTarget = "customers.saas.example",
        PollingInterval = TimeSpan.FromSeconds(30),
    };

    /// <summary>A second provider instance (another process) on the same zone.</summary>
    public CloudflareCdnProvider Another() => new(CloudflareCdnProvider.CreateHttpClient(Options, Zone), Options, Time);

    public async Task<ProviderServiceDetails> CreateActiveAsync(string serviceId, Models.ServiceSpec spec)
    {
        Zone.AutoActivate = true;
        var operation = await Provider.CreateServiceAsync(serviceId, spec);
        Assert.True(operation.HasCompleted, operation.StatusDescription);
        return operation.Value;
    }

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
}
