using System.Text;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.CloudFront.Tests.Integration;

/// <summary>The provider against the emulated CloudFront over HTTP, on a shared fake clock (no real waiting).</summary>
public sealed class CloudFrontEmulatorIntegrationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private CdnEmulator _emulator = null!;
    private CloudFrontCdnProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = _time,
            DeployDelay = TimeSpan.FromMinutes(4),
            CloudFront = { InvalidationDelay = TimeSpan.FromMinutes(2) },
        });
        _provider = new CloudFrontCdnProvider(new HttpClient(), new CloudFrontCdnProviderOptions
        {
            AccessKeyId = _emulator.CloudFront.AccessKeyId,
            SecretAccessKey = _emulator.CloudFront.SecretAccessKey,
            BaseAddress = _emulator.BaseUrl,
            AcmCertificateArn = CloudFrontMock.AcmArn,
            PollingInterval = TimeSpan.FromSeconds(20),
            InvalidationQueueTimeout = TimeSpan.FromMinutes(5),
        }, _time);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private async Task<T> RunAsync<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(1);
        }

        return await task;
    }

    private async Task CompleteAsync(CdnOperation operation)
    {
        for (var i = 0; i < 200 && !await operation.UpdateStatusAsync(); i++)
        {
            _time.Advance(TimeSpan.FromSeconds(20));
        }

        Assert.True(operation.HasCompleted, operation.StatusDescription);
        Assert.Null(operation.Error);
    }

    [Fact]
    public async Task RichSpec_RoundTripsWithItsFunction_AndTheFunctionGoesWithTheRestrictions()
    {
        var spec = Specs.Normalize(Specs.Rich);

        var create = await _provider.CreateServiceAsync("rich-1", spec);
        Assert.Equal(ProviderStatus.CreateInProgress, (await _provider.GetServiceAsync(new ServiceReference("rich-1")))!.Details.Status);
        await CompleteAsync(create);

        var function = Assert.Single(_emulator.CloudFront.Functions);
        Assert.Equal("cloudfront-js-2.0", function.Runtime);
        Assert.Contains("partner.example.org", Encoding.UTF8.GetString(function.LiveCode!.Value.Span), StringComparison.Ordinal);
        var read = await _provider.GetServiceAsync(new ServiceReference("rich-1"));
        Assert.Equal(spec, read!.Spec);
        Assert.Equal(ProviderStatus.Deployed, read.Details.Status);

        // Dropping the referrer and IP restrictions removes the association, then the function.
        var simpler = spec with { Restrictions = [spec.Restrictions[0]] };
        var update = await _provider.UpdateServiceAsync(new ServiceReference("rich-1", create.Value.VendorServiceId), simpler);
        Assert.Equal(ProviderStatus.UpdateInProgress, (await _provider.GetServiceAsync(new ServiceReference("rich-1")))!.Details.Status);
        await CompleteAsync(update);
        Assert.Empty(_emulator.CloudFront.Functions);
        Assert.Equal(simpler, (await _provider.GetServiceAsync(new ServiceReference("rich-1")))!.Spec);

        var delete = await _provider.DeleteServiceAsync(new ServiceReference("rich-1", create.Value.VendorServiceId));
        Assert.Equal(ProviderStatus.DeleteInProgress, (await _provider.GetServiceAsync(new ServiceReference("rich-1")))!.Details.Status);
        await CompleteAsync(delete);
        Assert.Empty(_emulator.CloudFront.Distributions);
    }

    [Fact]
    public async Task UpdatedByAnotherProcess_ReadBackShowsTheCurrentSpec()
    {
        var spec = Specs.Normalize(Specs.Simple);
        var create = await _provider.CreateServiceAsync("drift-1", spec);
        await CompleteAsync(create);

        // Another process (another provider instance, same account) adds an alias: this one reads it back from CloudFront.
        var changed = spec with { Domains = [.. spec.Domains, new DomainSpec("console.example.com")] };
        var other = new CloudFrontCdnProvider(new HttpClient(), new CloudFrontCdnProviderOptions
        {
            AccessKeyId = _emulator.CloudFront.AccessKeyId,
            SecretAccessKey = _emulator.CloudFront.SecretAccessKey,
            BaseAddress = _emulator.BaseUrl,
            AcmCertificateArn = CloudFrontMock.AcmArn,
        }, _time);
        await other.UpdateServiceAsync(new ServiceReference("drift-1", create.Value.VendorServiceId), changed);
        var tags = _emulator.CloudFront.Distributions.Single().Tags;
        Assert.Contains("poppy:manifest:00", tags.Keys);

        var read = await _provider.GetServiceAsync(new ServiceReference("drift-1"));
        Assert.Equal(["www.example.com", "console.example.com"], read!.Spec.Domains.Select(d => d.Domain));
    }

    [Fact]
    public async Task Purge_MoreWildcardsThanFitInFlight_SecondBatchWaitsForTheFirst()
    {
        var create = await _provider.CreateServiceAsync("purge-1", Specs.Normalize(Specs.Simple));
        await CompleteAsync(create);
        var prefixes = Enumerable.Range(0, 20).Select(i => $"/section-{i}/").ToArray();

        var result = await RunAsync(_provider.PurgeAsync(new ServiceReference("purge-1", create.Value.VendorServiceId), PurgeRequest.ForPrefixes(prefixes)));

        Assert.Equal([15, 5], result.Batches.Select(b => b.Items.Count));
        var invalidations = _emulator.CloudFront.Invalidations;
        Assert.Equal(2, invalidations.Count);
        Assert.Equal(prefixes.Select(p => p + "*"), invalidations.SelectMany(i => i.Paths));
        Assert.True(invalidations[1].CreateTime >= invalidations[0].CreateTime + TimeSpan.FromMinutes(2), "the second batch was sent before the first completed");
        if (result.Completion is { } completion)
        {
            await CompleteAsync(completion);
        }
    }

    [Fact]
    public async Task Purge_RetriedWithinTheMinute_DoesNotInvalidateTwice()
    {
        var create = await _provider.CreateServiceAsync("purge-2", Specs.Normalize(Specs.Simple));
        await CompleteAsync(create);
        var target = new ServiceReference("purge-2", create.Value.VendorServiceId);

        var first = await _provider.PurgeAsync(target, PurgeRequest.ForUrls("/a.css", "https://www.example.com/b.js"));
        var again = await _provider.PurgeAsync(target, PurgeRequest.ForUrls("/a.css", "https://www.example.com/b.js"));

        Assert.Equal(first.VendorPurgeIds, again.VendorPurgeIds);
        Assert.Equal(["/a.css", "/b.js"], Assert.Single(_emulator.CloudFront.Invalidations).Paths);
    }

    [Fact]
    public async Task Throttled_ThenOk_ThroughTheEmulator()
    {
        _emulator.CloudFront.Faults.RateLimitNext(1);
        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => _provider.GetServiceAsync(new ServiceReference("none", "E123")));
        Assert.Equal("Throttling", ex.VendorErrorCode);
        Assert.Null(await _provider.GetServiceAsync(new ServiceReference("none", "E123")));
    }
}
