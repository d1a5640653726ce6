using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Akamai;
using Poppy.Sdk.CloudFront;
using Poppy.Sdk.Cloudflare;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Fastly;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Tests.Integration;

/// <summary>
/// The composite client over the real Fastly, CloudFront and Akamai providers talking HTTP to the in-process emulator, plus an
/// in-memory CDN, all on one fake clock. The clock only moves between calls, never while the code under test runs.
/// </summary>
internal sealed class VendorFixture : IAsyncDisposable
{
    public const string AcmArn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";

    private VendorFixture(CdnEmulator emulator, FakeTimeProvider time, FastlyCdnProvider fastly, CloudFrontCdnProvider cloudFront, CloudflareCdnProvider cloudflare, AkamaiCdnProvider akamai, InMemoryCdnProvider memory, PoppyClient client)
    {
        Emulator = emulator;
        Time = time;
        Fastly = fastly;
        CloudFront = cloudFront;
        Cloudflare = cloudflare;
        Akamai = akamai;
        Memory = memory;
        Client = client;
    }

    public CdnEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public FastlyCdnProvider Fastly { get; }

    public CloudFrontCdnProvider CloudFront { get; }

    public CloudflareCdnProvider Cloudflare { get; }
    public AkamaiCdnProvider Akamai { get; }

    public InMemoryCdnProvider Memory { get; }

    public PoppyClient Client { get; }

    /// <summary>Starts the emulator and builds the client: flavors <c>mirror</c> (fastly, cloudfront), <c>global</c> (fastly, cloudfront, akamai), <c>memory-and-cloudfront</c> (memory, cloudfront), <c>mirror-cloudflare</c> (fastly, cloudflare).</summary>
    public static async Task<VendorFixture> StartAsync(string? acmCertificateArn = AcmArn, TimeSpan? invalidationDelay = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = time,
            DeployDelay = TimeSpan.FromMinutes(1),
            CloudFront = { InvalidationDelay = invalidationDelay ?? TimeSpan.FromSeconds(30) },
        });
        var fastlyOptions = new FastlyCdnProviderOptions { ApiToken = emulator.Fastly.ApiToken, BaseAddress = emulator.BaseAddress };
        var fastly = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(fastlyOptions), fastlyOptions, time);
        var cloudFrontOptions = new CloudFrontCdnProviderOptions
        {
            AccessKeyId = emulator.CloudFront.AccessKeyId,
            SecretAccessKey = emulator.CloudFront.SecretAccessKey,
            BaseAddress = emulator.BaseAddress,
            AcmCertificateArn = acmCertificateArn,
            PollingInterval = TimeSpan.FromSeconds(20),
        };
        var cloudFront = new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(cloudFrontOptions, time), cloudFrontOptions, time);
        var cloudflareOptions = new CloudflareCdnProviderOptions
        {
            ApiToken = emulator.Cloudflare.ApiToken,
            ZoneId = emulator.Cloudflare.ZoneId,
            CnameTarget = "customers.saas.example.net",
            Plan = CloudflarePlanTier.Enterprise,
            BaseAddress = new Uri(emulator.BaseAddress, "client/v4/"),
            PollingInterval = TimeSpan.FromSeconds(20),
        };
        var cloudflare = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(cloudflareOptions), cloudflareOptions, time);
        var akamaiOptions = new AkamaiCdnProviderOptions
        {
            BaseAddress = emulator.BaseAddress,
            ClientToken = emulator.Akamai.Options.ClientToken,
            ClientSecret = emulator.Akamai.Options.ClientSecret,
            AccessToken = emulator.Akamai.Options.AccessToken,
            ContractId = "ctr_" + emulator.Akamai.Options.ContractId,
            GroupId = "grp_" + emulator.Akamai.Options.GroupId,
            ProductId = "prd_" + emulator.Akamai.Options.Products[0],
            NotifyEmails = ["ops@example.com"],
            PollingInterval = TimeSpan.FromSeconds(30),
        };
        var akamai = new AkamaiCdnProvider(AkamaiCdnProvider.CreateHttpClient(akamaiOptions, time), akamaiOptions, time);
        var memory = new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "memory", TimeProvider = time, DeploymentDelay = TimeSpan.FromSeconds(10) });
        var options = new PoppyClientOptions()
            .AddFlavor("mirror", FlavorMode.Mirror, "fastly", "cloudfront")
            .AddFlavor("global", FlavorMode.Mirror, "fastly", "cloudfront", "akamai")
            .AddFlavor("memory-and-cloudfront", FlavorMode.Mirror, "memory", "cloudfront")
            .AddFlavor("mirror-cloudflare", FlavorMode.Mirror, "fastly", "cloudflare");
        var client = new PoppyClient([fastly, cloudFront, cloudflare, akamai, memory], options, timeProvider: time);
        return new VendorFixture(emulator, time, fastly, cloudFront, cloudflare, akamai, memory, client);
    }

    /// <summary>Every HTTP call a vendor's emulator answered.</summary>
    public int VendorCalls => Emulator.Fastly.Calls.Count() + Emulator.CloudFront.Calls.Count() + Emulator.Cloudflare.Calls.Count() + Emulator.Akamai.Calls.Count();

    /// <summary>Polls an operation to completion, moving the clock by the operation's hint between polls (not while one runs).</summary>
    /// <returns>The value, and the time that passed on the clock.</returns>
    public async Task<(T Value, TimeSpan Elapsed)> CompleteAsync<T>(CdnOperation<T> operation, int maxPolls = 1000)
    {
        var start = Time.GetUtcNow();
        for (var i = 0; i < maxPolls; i++)
        {
            if (await operation.UpdateStatusAsync())
            {
                return (operation.Value, Time.GetUtcNow() - start);
            }

            Time.Advance(operation.SuggestedPollingDelay ?? operation.DefaultPollingInterval);
        }

        throw new Xunit.Sdk.XunitException($"Operation {operation.Id} did not complete after {maxPolls} polls: {operation.StatusDescription}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
    }
}
