using System.Text;
using System.Xml.Linq;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.CloudFront.Tests.Integration;

/// <summary>The provider against the emulated CloudFront over HTTP, on a shared fake clock (no real waiting).</summary>
public sealed class CloudFrontEmulatorIntegrationTests : CloudFrontEmulatorTestBase
{
    [Fact]
    public async Task RichSpec_RoundTripsWithItsFunction_AndTheFunctionGoesWithTheRestrictions()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Rich);

        var create = await Provider.CreateServiceAsync("rich-1", spec);
        Assert.Equal(ProviderStatus.CreateInProgress, (await Provider.GetServiceAsync(new ServiceReference("rich-1")))!.Details.Status);
        await CompleteAsync(create);

        var function = Assert.Single(Emulator.CloudFront.Functions);
        Assert.Equal("cloudfront-js-2.0", function.Runtime);
        Assert.Contains("partner.example.org", Encoding.UTF8.GetString(function.LiveCode!.Value.Span), StringComparison.Ordinal);
        var read = await Provider.GetServiceAsync(new ServiceReference("rich-1"));
        Assert.Equal(spec, read!.Spec);
        Assert.Equal(ProviderStatus.Deployed, read.Details.Status);

        // Dropping the referrer and IP restrictions removes the association, then the function.
        var simpler = spec with { Restrictions = [spec.Restrictions[0]] };
        var update = await Provider.UpdateServiceAsync(new ServiceReference("rich-1", create.Value.VendorServiceId), simpler);
        Assert.Equal(ProviderStatus.UpdateInProgress, (await Provider.GetServiceAsync(new ServiceReference("rich-1")))!.Details.Status);
        await CompleteAsync(update);
        Assert.Empty(Emulator.CloudFront.Functions);
        Assert.Equal(simpler, (await Provider.GetServiceAsync(new ServiceReference("rich-1")))!.Spec);

        var delete = await Provider.DeleteServiceAsync(new ServiceReference("rich-1", create.Value.VendorServiceId));
        Assert.Equal(ProviderStatus.DeleteInProgress, (await Provider.GetServiceAsync(new ServiceReference("rich-1")))!.Details.Status);
        await CompleteAsync(delete);
        Assert.Empty(Emulator.CloudFront.Distributions);
    }

    [Fact]
    public async Task UpdatedByAnotherProcess_ReadBackShowsTheCurrentSpec()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Simple);
        var create = await Provider.CreateServiceAsync("drift-1", spec);
        await CompleteAsync(create);

        // Another process (another provider instance, same account) adds an alias: this one reads it back from CloudFront.
        var changed = spec with { Domains = [.. spec.Domains, new DomainSpec("console.example.com")] };
        var other = NewProvider();
        await other.UpdateServiceAsync(new ServiceReference("drift-1", create.Value.VendorServiceId), changed);
        var tags = Emulator.CloudFront.Distributions.Single().Tags;
        Assert.Contains("poppy:manifest:00", tags.Keys);

        var read = await Provider.GetServiceAsync(new ServiceReference("drift-1"));
        Assert.Equal(["www.example.com", "console.example.com"], read!.Spec.Domains.Select(d => d.Domain));
    }

    [Fact]
    public async Task Purge_MoreWildcardsThanFitInFlight_RefusedUntilRoom_ResubmittedBatchInvalidatesEachPathOnce()
    {
        var created = await CreateDeployedAsync("purge-1", TestSpecs.Simple);
        var target = new ServiceReference("purge-1", created.VendorServiceId);
        var prefixes = Enumerable.Range(0, 20).Select(i => $"/section-{i}/").ToArray();
        var request = PurgeRequest.ForPrefixes(prefixes) with { IdempotencyKey = "op-1:batch-0" };

        // 15 wildcards fit in flight; the other 5 are refused at once (no wait), naming what was accepted.
        var refused = await Assert.ThrowsAsync<CdnRateLimitedException>(() => Provider.PurgeAsync(target, request));
        Assert.Equal(TimeSpan.FromSeconds(5), refused.RetryAfter);
        var first = Assert.Single(Emulator.CloudFront.Invalidations);
        Assert.Contains(first.Id, refused.Message, StringComparison.Ordinal);

        // The caller (the composite's purge operation) resubmits the same batch once there is room.
        Time.Advance(InvalidationDelay);
        var result = await Provider.PurgeAsync(target, request);

        Assert.Equal([15, 5], result.Batches.Select(b => b.Items.Count));
        var invalidations = Emulator.CloudFront.Invalidations;
        Assert.Equal(2, invalidations.Count);
        Assert.Equal(first.Id, result.VendorPurgeIds[0]);
        Assert.Equal(["op-1:batch-0", "op-1:batch-0/2"], invalidations.Select(i => i.CallerReference));
        Assert.Equal(prefixes.Select(p => p + "*"), invalidations.SelectMany(i => i.Paths));
        await CompleteAsync(result.Completion!);
    }

    [Fact]
    public async Task Purge_InFlightLimitFull_RateLimitedWithoutSubmitting()
    {
        var created = await CreateDeployedAsync("purge-3", TestSpecs.Simple);
        var target = new ServiceReference("purge-3", created.VendorServiceId);
        await Provider.PurgeAsync(target, PurgeRequest.ForPrefixes(Enumerable.Range(0, 15).Select(i => $"/full-{i}/").ToArray()));
        Emulator.CloudFront.Calls.Clear();

        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => Provider.PurgeAsync(target, PurgeRequest.ForPrefixes("/one-more/")));

        Assert.Equal(TimeSpan.FromSeconds(5), ex.RetryAfter);
        Assert.Single(Emulator.CloudFront.Invalidations);
        Assert.Equal(1, Emulator.CloudFront.Calls.Count("POST", "/invalidation"));
    }

    [Fact]
    public async Task Purge_SameIdempotencyKeyInALaterMinute_ReturnsTheSameInvalidation()
    {
        var created = await CreateDeployedAsync("purge-4", TestSpecs.Simple);
        var target = new ServiceReference("purge-4", created.VendorServiceId);
        var request = PurgeRequest.ForUrls("/a.css") with { IdempotencyKey = "op-9:batch-3" };

        var first = await Provider.PurgeAsync(target, request);
        Time.Advance(TimeSpan.FromMinutes(5));
        var again = await Provider.PurgeAsync(target, request);

        Assert.Equal(first.VendorPurgeIds, again.VendorPurgeIds);
        Assert.Equal("op-9:batch-3", Assert.Single(Emulator.CloudFront.Invalidations).CallerReference);
    }

    [Fact]
    public async Task Get_ConfigEditedOutsidePoppy_ReportsDrift()
    {
        var created = await CreateDeployedAsync("drift-2", TestSpecs.Simple);
        var reference = new ServiceReference("drift-2", created.VendorServiceId);
        Assert.Empty((await Provider.GetServiceAsync(reference))!.Drift);

        // An edit in the console: the default behaviour's TTL goes from 3600 to 60 (a signed UpdateDistribution).
        await EditConfigAsync(created.VendorServiceId!, config =>
        {
            var ns = config.Name.Namespace;
            config.Element(ns + "DefaultCacheBehavior")!.Element(ns + "DefaultTTL")!.Value = "60";
        });

        var read = await Provider.GetServiceAsync(reference);

        Assert.Equal([new SpecDifference("/caching/0/ttl", "3600", "60")], read!.Drift);
        Assert.False(read.IsInSync);
        Assert.Equal(60, read.Spec.Caching![0].Ttl);
        Assert.Equal([new SpecDifference("/caching/0/ttl", "3600", "60")], (await Provider.ListServicesAsync().SingleAsync()).Drift);
    }

    /// <summary>Changes a distribution's config the way another AWS client would: GET config, edit, PUT with If-Match, signed with SigV4.</summary>
    private async Task EditConfigAsync(string distributionId, Action<XElement> edit)
    {
        using var http = CloudFrontCdnProvider.CreateHttpClient(Options(), Time);
        var uri = new Uri(Emulator.BaseAddress, $"2020-05-31/distribution/{distributionId}/config");
        using var got = await http.GetAsync(uri);
        got.EnsureSuccessStatusCode();
        var config = XElement.Parse(await got.Content.ReadAsStringAsync());
        edit(config);
        using var put = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new StringContent(config.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "text/xml") };
        put.Headers.TryAddWithoutValidation("If-Match", got.Headers.ETag?.Tag ?? got.Headers.GetValues("ETag").Single());
        using var updated = await http.SendAsync(put);
        Assert.True(updated.IsSuccessStatusCode, await updated.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Purge_RetriedWithinTheMinute_DoesNotInvalidateTwice()
    {
        var create = await Provider.CreateServiceAsync("purge-2", TestSpecs.Normalize(TestSpecs.Simple));
        await CompleteAsync(create);
        var target = new ServiceReference("purge-2", create.Value.VendorServiceId);

        var first = await Provider.PurgeAsync(target, PurgeRequest.ForUrls("/a.css", "https://www.example.com/b.js"));
        var again = await Provider.PurgeAsync(target, PurgeRequest.ForUrls("/a.css", "https://www.example.com/b.js"));

        Assert.Equal(first.VendorPurgeIds, again.VendorPurgeIds);
        Assert.Equal(["/a.css", "/b.js"], Assert.Single(Emulator.CloudFront.Invalidations).Paths);
    }

    [Fact]
    public async Task Throttled_ThenOk_ThroughTheEmulator()
    {
        Emulator.CloudFront.Faults.RateLimitNext(1);
        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => Provider.GetServiceAsync(new ServiceReference("none", "E123")));
        Assert.Equal("Throttling", ex.VendorErrorCode);
        Assert.Null(await Provider.GetServiceAsync(new ServiceReference("none", "E123")));
    }
}
