using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Akamai;
using Poppy.Sdk.CloudFront;
using Poppy.Sdk.Cloudflare;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Fastly;
using Poppy.Sdk.Models;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Tests.Integration;

/// <summary>
/// Issue 9, defect 5 through the composite: every vendor refuses the credentials on the emulator (CloudFront with a
/// session token and a wrong secret, so it answers <c>SignatureDoesNotMatch</c> with the canonical request; Fastly and
/// Cloudflare with a wrong token; Akamai with a wrong EdgeGrid client secret). Nothing the client throws, stores in the catalog or logs (at any level, from any category) holds a
/// credential value or a canonical request.
/// </summary>
public sealed class CredentialLeakTests
{
    private const string AccessKeyId = "ASIAPOPPYCOMPOSITE01";
    private const string SessionToken = "FwoGZXIvYXdzEPoppy//////////wEaDComposite+Session/Token0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ==";
    private const string WrongSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYCOMPOSITEKEY";
    private const string WrongToken = "wrong-fastly-token-0a1b2c3d4e5f6a7b";
    private const string WrongCloudflareToken = "wrongCloudflareToken_9f8e7d6c5b4a3210zyxw";
    private const string WrongAkamaiSecret = "d3JvbmctYWthbWFpLWNvbXBvc2l0ZS1zZWNyZXQ9PQ==";

    [Fact]
    public async Task CreateServiceAsync_EveryVendorRefusesTheCredentials_NoSecretInExceptionCatalogOrLogs()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var logs = new FakeLogCollector();
        using var loggerFactory = new CollectingLoggerFactory(logs);
        await using var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = time,
            CloudFront = { AccessKeyId = AccessKeyId, SessionToken = SessionToken },
        });
        var fastlyOptions = new FastlyCdnProviderOptions { ApiToken = WrongToken, BaseAddress = emulator.BaseAddress };
        var fastly = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(fastlyOptions), fastlyOptions, time, loggerFactory.CreateLogger<FastlyCdnProvider>());
        var cloudFrontOptions = new CloudFrontCdnProviderOptions
        {
            AccessKeyId = AccessKeyId,
            SecretAccessKey = WrongSecret,
            SessionToken = SessionToken,
            BaseAddress = emulator.BaseAddress,
            AcmCertificateArn = VendorFixture.AcmArn,
        };
        var cloudFront = new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(cloudFrontOptions, time), cloudFrontOptions, time, loggerFactory.CreateLogger<CloudFrontCdnProvider>());
        var cloudflareOptions = new CloudflareCdnProviderOptions
        {
            ApiToken = WrongCloudflareToken,
            ZoneId = emulator.Cloudflare.ZoneId,
            CnameTarget = "customers.saas.example.net",
            Plan = CloudflarePlanTier.Enterprise,
            BaseAddress = new Uri(emulator.BaseAddress, "client/v4/"),
        };
        var cloudflare = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(cloudflareOptions), cloudflareOptions, time, loggerFactory.CreateLogger<CloudflareCdnProvider>());
        var akamaiOptions = new AkamaiCdnProviderOptions
        {
            BaseAddress = emulator.BaseAddress,
            ClientToken = emulator.Akamai.Options.ClientToken,
            ClientSecret = WrongAkamaiSecret,
            AccessToken = emulator.Akamai.Options.AccessToken,
            ContractId = "ctr_" + emulator.Akamai.Options.ContractId,
            GroupId = "grp_" + emulator.Akamai.Options.GroupId,
            ProductId = "prd_" + emulator.Akamai.Options.Products[0],
            NotifyEmails = ["ops@example.com"],
        };
        var akamai = new AkamaiCdnProvider(AkamaiCdnProvider.CreateHttpClient(akamaiOptions, time), akamaiOptions, time, loggerFactory.CreateLogger<AkamaiCdnProvider>());
        var options = new PoppyClientOptions().AddFlavor("mirror", FlavorMode.Mirror, "fastly", "cloudfront", "cloudflare", "akamai");
        using var client = new PoppyClient([fastly, cloudFront, cloudflare, akamai], options, timeProvider: time, loggerFactory: loggerFactory);

        var error = await Assert.ThrowsAnyAsync<CdnException>(() => client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));

        // The emulator did answer SignatureDoesNotMatch with the canonical request: the leak was really provoked.
        Assert.Contains(emulator.CloudFront.Calls.Calls, c => c.Status == 403);
        Assert.Contains(emulator.Fastly.Calls.Calls, c => c.Status == 401);
        Assert.Contains(emulator.Cloudflare.Calls.Calls, c => c.Status == 403);
        Assert.Contains(emulator.Akamai.Calls.Calls, c => c.Status == 401);
        var texts = new List<string> { error.Message, error.ToString(), ProviderError.FromException(error).Message };
        if (error is CdnAllProvidersFailedException all)
        {
            texts.AddRange(all.Attempts.SelectMany(a => new[] { a.Exception.Message, a.Exception.ToString(), ProviderError.FromException(a.Exception).Message }));
        }

        var stored = await client.Catalog.GetAsync("svc-1");
        var storedErrors = stored?.Providers.Select(p => p.Error).OfType<ProviderError>().ToList() ?? [];
        texts.AddRange(storedErrors.Select(e => e.Message));
        Assert.NotNull(stored);
        Assert.Equal(["fastly", "cloudfront", "cloudflare", "akamai"], stored.Providers.Where(p => p.Error is not null).Select(p => p.Provider));
        Assert.Equal("SignatureDoesNotMatch", stored.Providers.Single(p => p.Provider == "cloudfront").Error!.VendorCode);
        var records = logs.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 1001);
        texts.AddRange(records.SelectMany(r => new[] { r.Message, r.Exception?.ToString() ?? "" }.Concat(r.StructuredState?.Select(kv => kv.Value ?? "") ?? [])));

        Assert.Contains(texts, t => t.Contains("SignatureDoesNotMatch", StringComparison.Ordinal));
        foreach (var text in texts)
        {
            foreach (var secret in new[] { WrongCloudflareToken, emulator.Cloudflare.ApiToken, SessionToken, WrongSecret, WrongToken, AccessKeyId, emulator.CloudFront.SecretAccessKey, emulator.Fastly.ApiToken, WrongAkamaiSecret, emulator.Akamai.Options.ClientSecret, emulator.Akamai.Options.ClientToken, emulator.Akamai.Options.AccessToken })
            {
                for (var i = 0; i + 12 <= secret.Length; i += 4)
                {
                    Assert.DoesNotContain(secret.Substring(i, 12), text, StringComparison.Ordinal);
                }
            }

            Assert.DoesNotContain("x-amz-security-token", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Canonical String", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task CreateServiceAsync_ProviderThrowsForeignExceptionWithCanonicalRequest_CompositeRemovesItEverywhere()
    {
        // A third-party provider that does not scrub: the composite knows no credential value, but it removes the
        // signing details (where the session token sits) from what it logs, throws and stores.
        var leaked = "The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'GET\n/\n\nhost:cdn.example\nx-amz-security-token:" + SessionToken + "\n\nhost;x-amz-security-token\nabc'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261201T090000Z\n20261201/us-east-1/cloudfront/aws4_request\ndef'\n";
        var logs = new FakeLogCollector();
        using var loggerFactory = new CollectingLoggerFactory(logs);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var leaky = new ThrowingCdnProvider(new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "leaky", TimeProvider = time }), new InvalidOperationException(leaked));
        using var client = new PoppyClient([leaky], new PoppyClientOptions().AddFlavor("mirror", FlavorMode.Mirror, "leaky"), timeProvider: time, loggerFactory: loggerFactory);

        var error = await Assert.ThrowsAnyAsync<CdnException>(() => client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));

        var stored = await client.Catalog.GetAsync("svc-1");
        var texts = new List<string> { error.Message, error.ToString(), ProviderError.FromException(error).Message };
        texts.AddRange(stored?.Providers.Select(p => p.Error?.Message ?? "") ?? []);
        var records = logs.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 1001 && r.Message.Contains("does not match the signature", StringComparison.Ordinal));
        texts.AddRange(records.Select(r => r.Message));
        Assert.All(texts, t => Assert.DoesNotContain("x-amz-security-token", t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain(SessionToken[..16], t, StringComparison.Ordinal));
    }

    private sealed class ThrowingCdnProvider(ICdnProvider inner, Exception failure) : DelegatingCdnProvider(inner)
    {
        public override Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default) =>
            Task.FromException<CdnOperation<ProviderServiceDetails>>(failure);
    }

    /// <summary>Every category's logger writes to one collector, at every level (trace included).</summary>
    private sealed class CollectingLoggerFactory(FakeLogCollector collector) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new FakeLogger(collector, categoryName);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
