using Poppy.Sdk.Emulator;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.CloudFront.Tests.Integration;

/// <summary>
/// The provider conformance kit: the real CloudFront provider against the emulated CloudFront API over
/// HTTP, SigV4 and all. Provider and emulator share a fake clock, so deployments and
/// invalidations complete by advancing the clock, never by waiting.
/// </summary>
public sealed class CloudFrontEmulatorConformanceTests : EmulatorConformanceTests
{
    protected override int ListPageSizeHint => 100;

    protected override ICdnProvider CreateProvider(CdnEmulator emulator)
    {
        var options = new CloudFrontCdnProviderOptions
        {
            AccessKeyId = emulator.CloudFront.Options.AccessKeyId,
            SecretAccessKey = emulator.CloudFront.Options.SecretAccessKey,
            BaseAddress = emulator.BaseAddress,
            AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/conformance",
            PollingInterval = TimeSpan.FromSeconds(30),
        };
        return new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(options, Time), options, Time);
    }

    protected override IVendorEmulator Vendor(CdnEmulator emulator) => emulator.CloudFront;

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        // The key is rotated at AWS: every signature the provider makes is now wrong (403 SignatureDoesNotMatch).
        EmulatorOf(provider).CloudFront.Options.SecretAccessKey = "rotated-" + Guid.NewGuid().ToString("N");
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
