using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.CloudFront.Tests.Integration;

/// <summary>
/// The provider conformance kit: the real CloudFront provider against the emulated CloudFront API over
/// HTTP, SigV4 and all. Provider and emulator share a <see cref="FakeTimeProvider"/>, so deployments and
/// invalidations complete by advancing the clock, never by waiting.
/// </summary>
public sealed class CloudFrontEmulatorConformanceTests : CdnProviderConformanceTests, IAsyncLifetime
{
    private static readonly TimeSpan DeployDelay = TimeSpan.FromMinutes(3);
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly Dictionary<ICdnProvider, CdnEmulator> _emulators = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

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
        var options = new CloudFrontCdnProviderOptions
        {
            AccessKeyId = emulator.CloudFront.Options.AccessKeyId,
            SecretAccessKey = emulator.CloudFront.Options.SecretAccessKey,
            BaseAddress = emulator.BaseAddress,
            AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/conformance",
            PollingInterval = TimeSpan.FromSeconds(30),
        };
        var provider = new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(options, _time), options, _time);
        _emulators[provider] = emulator;
        return provider;
    }

    /// <summary>Polls, advancing the shared fake clock by the polling interval between polls.</summary>
    protected override async Task CompleteAsync(CdnOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var i = 0; i < 100 && !await operation.UpdateStatusAsync(); i++)
        {
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.True(operation.HasCompleted, $"operation {operation.Id} did not complete: {operation.StatusDescription}");
        if (operation.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    protected override Task InjectTransientFailureAsync(ICdnProvider provider)
    {
        _emulators[provider].CloudFront.Faults.FailNext(1, 503);
        return Task.CompletedTask;
    }

    protected override Task InjectRateLimitAsync(ICdnProvider provider, TimeSpan retryAfter)
    {
        _emulators[provider].CloudFront.Faults.RateLimitNext(1, retryAfter);
        return Task.CompletedTask;
    }

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        // The key is rotated at AWS: every signature the provider makes is now wrong (403 SignatureDoesNotMatch).
        _emulators[provider].CloudFront.Options.SecretAccessKey = "rotated-" + Guid.NewGuid().ToString("N");
        return Task.CompletedTask;
    }

    /// <summary>
    /// CloudFront answers throttling with HTTP 400 <c>Throttling</c> and no Retry-After, so the provider
    /// reports a rate limit without a delay (the kit's version expects the delay a 429 would carry).
    /// </summary>
    [Fact]
    public override async Task Errors_RateLimited_CarriesRetryAfter()
    {
        var provider = await CreateProviderAsync();
        await InjectRateLimitAsync(provider, TimeSpan.FromSeconds(42));

        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => provider.GetServiceAsync(new ServiceReference(NewId(), "E123")));

        Assert.True(ex.IsTransient);
        Assert.Equal("Throttling", ex.VendorErrorCode);
        Assert.Null(ex.RetryAfter);
    }
}
