using Poppy.Sdk.Models;

namespace Poppy.Sdk.Tests.Integration;

/// <summary>The composite client over Fastly, CloudFront, Akamai and Cloudflare on the emulator: offline validation, drift, and the large purge.</summary>
public sealed class CompositeOverVendorsTests
{
    [Fact]
    public async Task Validate_CloudFrontWithoutCertificate_RejectedOfflineAndCreateSendsNothing()
    {
        await using var f = await VendorFixture.StartAsync(acmCertificateArn: null);
        var spec = TestSpecs.Basic("memory-and-cloudfront");

        var result = f.Client.Validate(spec);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("cloudfront", problem.Provider);
        Assert.StartsWith("/domains/0", problem.Path, StringComparison.Ordinal);
        Assert.Contains("AcmCertificateArn", problem.Remedy, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<CdnValidationException>(() => f.Client.CreateServiceAsync(spec, "svc-1"));
        Assert.Equal(result.Problems, error.Problems);
        Assert.Equal(0, f.VendorCalls);
        Assert.Empty(f.Memory.Calls);
        Assert.Null(await f.Client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task Validate_RequestUrlCloudFrontCannotMatch_RejectedOfflineBeforeFastlyIsTouched()
    {
        await using var f = await VendorFixture.StartAsync();
        var longPath = "/" + new string('a', 299);
        var spec = TestSpecs.Basic() with { Caching = [new CachingRule("long", 60, new PathRule("long", longPath)), new CachingRule("default", 3600, new PathRule("default", "/*"))] };

        var result = f.Client.Validate(spec);

        Assert.Contains(result.Problems, p => p.Provider == "cloudfront" && p.Path.StartsWith("/caching/0", StringComparison.Ordinal));
        await Assert.ThrowsAsync<CdnValidationException>(() => f.Client.CreateServiceAsync(spec, "svc-1"));
        Assert.Equal(0, f.VendorCalls);
    }

    [Fact]
    public async Task PlanService_ValidSpec_ShowsEachVendorsPayloadWithoutAnyCall()
    {
        await using var f = await VendorFixture.StartAsync();

        var plans = f.Client.PlanService(TestSpecs.Basic());

        Assert.Equal(["fastly", "cloudfront"], plans.Select(p => p.Provider));
        Assert.All(plans, p => Assert.True(p.IsValid, p.Summary));
        Assert.Contains(plans[1].Documents, d => d.MediaType.Contains("xml", StringComparison.Ordinal) && d.Content.Contains("www.example.com", StringComparison.Ordinal));
        Assert.NotEmpty(plans[0].Documents);
        Assert.Equal(0, f.VendorCalls);
    }

    [Fact]
    public async Task MirrorWithCloudflare_CreatePurgeDelete_EachVendorHoldsThenForgetsTheService()
    {
        await using var f = await VendorFixture.StartAsync();

        var (created, _) = await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("mirror-cloudflare"), "svc-cf"));

        Assert.Equal(ProviderStatus.Deployed, created.Status);
        Assert.Equal(["fastly", "cloudflare"], created.Providers.Select(p => p.Provider));
        var hostname = Assert.Single(f.Emulator.Cloudflare.CustomHostnames);
        Assert.Equal(("www.example.com", "active"), (hostname.Hostname, hostname.Status));
        Assert.Contains(created.Providers.Single(p => p.Provider == "cloudflare").AccessUrls, u => u.ProviderUrl.Contains("customers.saas.example.net", StringComparison.Ordinal));

        var purge = await f.Client.StartPurgeAsync("svc-cf", PurgeRequest.ForUrls("/index.html"));
        await f.CompleteAsync(purge);
        var purged = Assert.Single(f.Emulator.Cloudflare.Purges);
        Assert.Equal(("files", "https://www.example.com/index.html"), (purged.Kind, Assert.Single(purged.Items)));

        await f.CompleteAsync(await f.Client.DeleteServiceAsync("svc-cf"));
        Assert.Empty(f.Emulator.Cloudflare.CustomHostnames);
        Assert.Empty(f.Emulator.Cloudflare.Rules);
    }

    [Fact]
    public async Task GetProviderServiceAsync_VendorSideEdit_ReportsDriftAsData()
    {
        await using var f = await VendorFixture.StartAsync();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("memory-and-cloudfront"), "svc-1"));
        Assert.Empty((await f.Client.GetProviderServiceAsync("svc-1", "memory"))!.Drift);

        f.Memory.EditVendorSide("svc-1", s => s with { Caching = [new CachingRule("default", 60, new PathRule("default", "/*"))] });

        var drift = Assert.Single((await f.Client.GetProviderServiceAsync("svc-1", "memory"))!.Drift);
        Assert.Equal("/caching/0/ttl", drift.Path);
        Assert.Equal("3600", drift.Desired);
        Assert.Equal("60", drift.Actual);
        Assert.Empty((await f.Client.GetProviderServiceAsync("svc-1", "cloudfront"))!.Drift);
    }

    [Fact]
    public async Task StartPurgeAsync_TenThousandUrlsOnFastlyAndCloudFront_QueuesForRoomAndInvalidatesEachPathOnce()
    {
        var invalidationDelay = TimeSpan.FromSeconds(30);
        await using var f = await VendorFixture.StartAsync(invalidationDelay: invalidationDelay);
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        var urls = Enumerable.Range(0, 10_000).Select(i => $"https://www.example.com/catalogue/item-{i:D5}.html").ToArray();

        var operation = await f.Client.StartPurgeAsync("svc-1", PurgeRequest.ForUrls(urls));

        // Fastly takes every batch at once; CloudFront takes one 3,000-path invalidation in flight and queues the rest.
        Assert.False(operation.HasCompleted);
        var started = operation.Progress.Single(p => p.Provider == "cloudfront");
        Assert.Equal((4, 1, 3), (started.TotalBatches, started.AcceptedBatches, started.QueuedBatches));
        var (report, elapsed) = await f.CompleteAsync(operation);

        Assert.True(report.IsSuccess, string.Join("; ", report.Providers.SelectMany(p => p.Failed.Select(b => $"{p.Provider}: {b.Error.Code} {b.Error.Message}")).Take(3)));
        var invalidations = f.Emulator.CloudFront.Invalidations;
        Assert.Equal(4, invalidations.Count);
        Assert.Equal(10_000, invalidations.SelectMany(i => i.Paths).Distinct().Count());
        Assert.Equal(10_000, invalidations.Sum(i => i.Paths.Count));
        var fastlyPurges = f.Emulator.Fastly.Purges.Where(p => p.Kind == "url").Select(p => p.Target).ToList();
        Assert.Equal(10_000, fastlyPurges.Count);
        Assert.Equal(10_000, fastlyPurges.Distinct().Count());

        // The bound: three waits for the in-flight invalidation to finish; queued batches go within one retry hint of room.
        var bound = 3 * invalidationDelay;
        Assert.InRange(elapsed, bound, bound + (3 * TimeSpan.FromSeconds(5)));

        // Once the last invalidation has had its time, every path has been invalidated exactly once.
        f.Time.Advance(invalidationDelay);
        Assert.Equal(10_000, f.Emulator.CloudFront.InvalidatedPaths.Select(p => p.Path).Distinct().Count());
        Assert.Equal(10_000, f.Emulator.CloudFront.InvalidatedPaths.Count);
    }

    [Fact]
    public async Task UpdateServiceAsync_ConcurrentConvergesAfterAFailedFastlyCreate_OneFastlyServiceOnly()
    {
        await using var f = await VendorFixture.StartAsync();
        f.Emulator.Fastly.Faults.FailNext(3, 400);
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        var fastly = (await f.Client.GetServiceAsync("svc-1"))!.Providers.Single(p => p.Provider == "fastly");
        Assert.Equal((ProviderStatus.Failed, null), (fastly.Status, fastly.VendorServiceId));

        // Four converges at once: each finds Fastly without the service; only one may create it, the others update it.
        var updates = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic() with { Name = "update " + i }))));
        foreach (var update in updates)
        {
            await f.CompleteAsync(update);
        }

        Assert.Single(f.Emulator.Fastly.Services, s => s.Comment.Contains("svc-1", StringComparison.Ordinal));
        Assert.Single(f.Emulator.CloudFront.Distributions);
        Assert.Equal(ProviderStatus.Deployed, (await f.Client.GetServiceAsync("svc-1"))!.Status);
    }

    [Fact]
    public async Task Global_CreatePurgeDelete_OnFastlyCloudFrontAndAkamai()
    {
        await using var f = await VendorFixture.StartAsync();
        var spec = TestSpecs.Basic("global");

        await f.CompleteAsync(await f.Client.CreateServiceAsync(spec, "svc-1"));
        var service = (await f.Client.GetServiceAsync("svc-1"))!;
        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Equal(["fastly", "cloudfront", "akamai"], service.Providers.Select(p => p.Provider));
        var akamai = Assert.Single(f.Emulator.Akamai.Properties);
        Assert.Equal((1, 1), (akamai.StagingVersion, akamai.ProductionVersion));
        Assert.Empty((await f.Client.GetProviderServiceAsync("svc-1", "akamai"))!.Drift);

        var (report, _) = await f.CompleteAsync(await f.Client.StartPurgeAsync("svc-1", PurgeRequest.ForUrls("https://www.example.com/a.css")));
        Assert.True(report.IsSuccess);
        Assert.Equal(["https://www.example.com/a.css"], Assert.Single(f.Emulator.Akamai.Purges).Objects);

        await f.CompleteAsync(await f.Client.DeleteServiceAsync("svc-1"));
        Assert.Empty(f.Emulator.Akamai.Properties);
        Assert.Empty(f.Emulator.CloudFront.Distributions);
    }
}
