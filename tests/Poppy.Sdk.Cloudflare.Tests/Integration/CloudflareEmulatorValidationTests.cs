using Poppy.Sdk.Models;

namespace Poppy.Sdk.Cloudflare.Tests.Integration;

/// <summary>
/// Custom hostnames that wait for their owner: the emulator's manual validation keeps them pending until
/// <c>MarkValidated</c>, as a real hostname waits for its DNS records.
/// </summary>
public sealed class CloudflareEmulatorValidationTests : CloudflareEmulatorTestBase
{
    protected override bool AutoValidate => false;

    [Fact]
    public async Task Create_ManualValidation_ReportsTheRecordsToPublish_CompletesOnceMarkedValidated()
    {
        var create = await Provider.CreateServiceAsync("val-1", TestSpecs.Normalize(TestSpecs.Rich()));
        var target = new ServiceReference("val-1", Emulator.Cloudflare.ZoneId);

        // However long the clock runs, nothing validates by itself.
        for (var i = 0; i < 5; i++)
        {
            Assert.False(await create.UpdateStatusAsync());
            Time.Advance(TimeSpan.FromMinutes(10));
        }

        var validations = await Provider.GetDomainValidationsAsync(target);
        Assert.Equal(["www.example.com", "static.example.com"], validations.Select(v => v.Domain));
        Assert.All(validations, v => Assert.True(v.IsPending));
        var records = validations.SelectMany(v => v.Records).ToList();
        Assert.Contains(records, r => r.Name == "_cf-custom-hostname.www.example.com" && r.Type.Equals("txt", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(records, r => r.Name == "_acme-challenge.static.example.com");
        Assert.Contains("_cf-custom-hostname.www.example.com", create.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(ProviderStatus.CreateInProgress, (await Provider.GetServiceAsync(target))!.Details.Status);

        Assert.True(Emulator.Cloudflare.MarkValidated("www.example.com"));
        Assert.False(await create.UpdateStatusAsync());
        Assert.DoesNotContain("www.example.com", create.StatusDescription, StringComparison.Ordinal);

        Assert.True(Emulator.Cloudflare.MarkValidated("static.example.com"));
        Assert.True(await create.UpdateStatusAsync());
        Assert.Null(create.Error);
        Assert.Equal(ProviderStatus.Deployed, (await Provider.GetServiceAsync(target))!.Details.Status);
        Assert.All(await Provider.GetDomainValidationsAsync(target), v => Assert.False(v.IsPending));
    }
}

/// <summary>The Free plan's purge bucket (25 requests, 5 a minute) answers 429 with Retry-After; the provider reports it.</summary>
public sealed class CloudflareEmulatorPurgeRateTests : CloudflareEmulatorTestBase
{
    protected override CloudflarePlanTier Plan => CloudflarePlanTier.Free;

    [Fact]
    public async Task Purge_BucketEmpty_RateLimitedWithRetryAfter_AcceptedOnceItHasPassed()
    {
        var created = await CreateDeployedAsync("rate-1", TestSpecs.Simple());
        var target = new ServiceReference("rate-1", created.VendorServiceId);
        for (var i = 0; i < 25; i++)
        {
            await Provider.PurgeAsync(target, PurgeRequest.ForTags($"tag-{i}"));
        }

        var refused = await Assert.ThrowsAsync<CdnRateLimitedException>(() => Provider.PurgeAsync(target, PurgeRequest.ForTags("one-more")));

        Assert.True(refused.IsTransient);
        Assert.NotNull(refused.RetryAfter);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(25, Emulator.Cloudflare.Purges.Count);

        // Honouring the hint: once Retry-After has passed, the same purge is accepted.
        Time.Advance(refused.RetryAfter.Value);
        await Provider.PurgeAsync(target, PurgeRequest.ForTags("one-more"));
        Assert.Equal(["one-more"], Emulator.Cloudflare.Purges[^1].Items);
    }
}
