namespace Poppy.Sdk.Tests;

public sealed class PurgeTests
{
    private static async Task<Fixture> DeployedAsync(Func<string, CdnCapabilities, CdnCapabilities>? capabilities = null, Action<PoppyClientOptions>? configure = null)
    {
        var f = new Fixture(configure, capabilities);
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        return f;
    }

    [Fact]
    public async Task PurgeAsync_MoreItemsThanBatchSize_SplitsIntoVendorBatches()
    {
        using var f = await DeployedAsync((name, c) => c with { MaxPurgeBatchSize = name == "a" ? 100 : 30 });
        var urls = Enumerable.Range(0, 250).Select(i => $"/img/{i}.png").ToArray();

        var report = await f.Client.PurgeAsync("svc-1", PurgeRequest.ForUrls(urls));

        Assert.True(report.IsSuccess);
        Assert.Equal(3, report.Providers.Single(p => p.Provider == "a").BatchCount);
        Assert.Equal(9, report.Providers.Single(p => p.Provider == "b").BatchCount);
        Assert.Equal([100, 100, 50], f.A.Purges.Select(p => p.Request.Items.Count).Order().Reverse());
        Assert.Equal(urls.Order(), f.A.Purges.SelectMany(p => p.Request.Items).Order());
        Assert.Equal(urls.Order(), f.B.Purges.SelectMany(p => p.Request.Items).Order());
    }

    [Fact]
    public async Task PurgeAsync_RateLimitedVendor_PacesBatchesWithTokenBucket()
    {
        using var f = await DeployedAsync((name, c) => name == "a"
            ? c with { MaxPurgeBatchSize = 10, PurgeRateLimit = new PurgeRateLimit(RequestsPerPeriod: 1, Period: TimeSpan.FromSeconds(1), Burst: 2) }
            : c);
        var urls = Enumerable.Range(0, 50).Select(i => $"/p/{i}").ToArray();

        var t0 = f.Time.GetUtcNow();
        var purge = f.Client.PurgeAsync("svc-1", PurgeRequest.ForUrls(urls));

        #region paced-purge (docs/extending/writing-a-provider.md)
        // Each batch after the burst waits one token period; the clock moves only once the purge waits on it.
        await Eventually.TrueAsync(() => f.A.Purges.Count == 2);
        Assert.False(purge.IsCompleted);
        await f.Time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => f.A.Purges.Count == 3);
        await f.Time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => f.A.Purges.Count == 4);
        Assert.False(purge.IsCompleted);
        await f.Time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(1));
        #endregion
        var report = await purge.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(report.IsSuccess);
        Assert.Equal(5, f.A.Purges.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), f.Time.GetUtcNow() - t0);
    }

    [Fact]
    public async Task PurgeAsync_KindUnsupportedOnOneProvider_ReportsUnsupportedThereAndPurgesElsewhere()
    {
        using var f = await DeployedAsync((name, c) => name == "a" ? c with { Purge = PurgeSupport.Url | PurgeSupport.All } : c);

        var report = await f.Client.PurgeAsync("svc-1", PurgeRequest.ForTags("product-42"));

        Assert.False(report.IsSuccess);
        var a = report.Providers.Single(p => p.Provider == "a");
        Assert.Equal("/kind", Assert.Single(a.Unsupported!).Path);
        Assert.Empty(f.A.Purges);
        Assert.True(report.Providers.Single(p => p.Provider == "b").IsSuccess);
        Assert.Single(f.B.Purges);
    }

    [Fact]
    public async Task PurgeAsync_BatchFailsPermanently_ReportsItsItemsAndOthersSucceed()
    {
        using var f = await DeployedAsync((name, c) => c with { MaxPurgeBatchSize = 2 });
        f.B.Faults.FailNext(1, transient: false, status: 400, operation: "purge");

        var report = await f.Client.PurgeAsync("svc-1", PurgeRequest.ForUrls("/1", "/2", "/3"));

        var b = report.Providers.Single(p => p.Provider == "b");
        var failed = Assert.Single(b.Failed);
        Assert.False(failed.Error.IsTransient);
        Assert.Single(b.Succeeded);
        Assert.Equal(3, failed.Items.Count + b.Succeeded.Sum(s => s.Items.Count));
        Assert.True(report.Providers.Single(p => p.Provider == "a").IsSuccess);
    }

    [Fact]
    public async Task StartPurgeAsync_VendorRateLimits_QueuesTheBatchAndSubmitsItOnceAfterTheHint()
    {
        using var f = await DeployedAsync((name, c) => c with { MaxPurgeBatchSize = 2 });
        f.B.Faults.RateLimitNext(2, TimeSpan.FromSeconds(7), operation: "purge");

        var operation = await f.Client.StartPurgeAsync("svc-1", PurgeRequest.ForUrls("/1", "/2", "/3"));

        Assert.False(operation.HasCompleted);
        Assert.Equal(TimeSpan.FromSeconds(7), operation.SuggestedPollingDelay);
        var queued = operation.Progress.Single(p => p.Provider == "b");
        Assert.Equal(2, queued.TotalBatches);
        Assert.Equal(2, queued.QueuedBatches);
        Assert.Empty(f.B.Purges);

        f.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(await operation.UpdateStatusAsync());
        Assert.Empty(f.B.Purges);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        var report = await f.CompleteAsync(operation);

        Assert.True(report.IsSuccess);
        Assert.Equal(["/1", "/2", "/3"], f.B.Purges.SelectMany(p => p.Request.Items));
        Assert.Equal(2, f.A.Purges.Count);
    }

    [Fact]
    public async Task StartPurgeAsync_VendorRefusesManyTimes_DoesNotOpenTheCircuit()
    {
        // CloudFront refuses every resubmission while an invalidation is in flight: those refusals are flow control, and
        // counting them as failures would open the circuit and fail the queued batches (and every other call) for good.
        using var f = await DeployedAsync((name, c) => c with { MaxPurgeBatchSize = 1 });
        f.B.Faults.RateLimitNext(12, TimeSpan.FromMilliseconds(250), operation: "purge");

        var operation = await f.Client.StartPurgeAsync("svc-1", PurgeRequest.ForUrls("/1", "/2", "/3", "/4"));
        var report = await f.CompleteAsync(operation);

        Assert.True(report.IsSuccess);
        Assert.False(f.Client.IsCircuitOpen("b"));
        Assert.Equal(["/1", "/2", "/3", "/4"], f.B.Purges.SelectMany(p => p.Request.Items).Order());
        Assert.NotNull(await f.Client.GetProviderServiceAsync("svc-1", "b"));
    }

    [Fact]
    public async Task PurgeAsync_SoftPurgeAll_IsPassedThroughAsOneBatch()
    {
        using var f = await DeployedAsync();

        var report = await f.Client.PurgeAsync("svc-1", PurgeRequest.ForEverything().AsSoft());

        Assert.True(report.IsSuccess);
        var purge = Assert.Single(f.A.Purges);
        Assert.Equal(PurgeKind.All, purge.Request.Kind);
        Assert.Equal(PurgeMode.Soft, purge.Request.Mode);
    }

    [Fact]
    public async Task PurgeAsync_MalformedRequest_ThrowsBeforeAnyCall()
    {
        using var f = await DeployedAsync();

        var ex = await Assert.ThrowsAsync<CdnValidationException>(() => f.Client.PurgeAsync("svc-1", PurgeRequest.ForUrls("relative/path", "")));

        Assert.Equal(["/items/0", "/items/1"], ex.Problems.Select(p => p.Path));
        Assert.StartsWith("The purge request has 2 problems:", ex.Message, StringComparison.Ordinal);
        Assert.Empty(f.A.Purges);
    }

    [Fact]
    public async Task PurgeAsync_ServiceNotYetOnAnyProvider_Throws()
    {
        using var f = new Fixture();
        f.A.Faults.FailNext(1, transient: false, status: 400);
        f.B.Faults.FailNext(1, transient: false, status: 400);
        await Assert.ThrowsAsync<CdnAllProvidersFailedException>(() => f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.PurgeAsync("svc-1", PurgeRequest.ForEverything()));
        Assert.Equal(CdnErrorCode.Conflict, error.ErrorCode);
    }

    [Fact]
    public async Task ResumePurgeAsync_FromTheId_FollowsTheSamePurgeAndSendsNoBatchTwice()
    {
        using var f = await DeployedAsync((name, c) => c with { MaxPurgeBatchSize = 2 });
        f.B.Faults.RateLimitNext(2, TimeSpan.FromSeconds(10), operation: "purge");
        var started = await f.Client.StartPurgeAsync("svc-1", PurgeRequest.ForUrls("/1", "/2", "/3"));
        Assert.False(started.HasCompleted);

        var resumed = await f.Client.ResumePurgeAsync(started.Id);

        Assert.Equal(started.Id, resumed.Id);
        Assert.Equal(started.Progress, resumed.Progress);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        var report = await f.CompleteAsync(resumed);
        Assert.True(report.IsSuccess);
        Assert.True(await started.UpdateStatusAsync());
        Assert.Equal(["/1", "/2", "/3"], f.B.Purges.SelectMany(p => p.Request.Items));
        Assert.Equal(2, f.A.Purges.Count);
    }

    [Fact]
    public async Task ResumePurgeAsync_UnknownId_ThrowsArgumentException()
    {
        using var f = await DeployedAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => f.Client.ResumePurgeAsync("poppy:purge:svc-1:nope"));
        await Assert.ThrowsAsync<ArgumentException>(() => f.Client.ResumePurgeAsync("not an id"));
    }

    [Fact]
    public async Task StartPurgeAsync_NamedProvider_PurgesOnlyThere()
    {
        using var f = await DeployedAsync();

        var report = await f.CompleteAsync(await f.Client.StartPurgeAsync("svc-1", PurgeRequest.ForUrls("/a"), new PurgeOptions { Providers = ["b"] }));

        Assert.Equal("b", Assert.Single(report.Providers).Provider);
        Assert.Empty(f.A.Purges);
        Assert.Single(f.B.Purges);
        await Assert.ThrowsAsync<CdnValidationException>(() => f.Client.StartPurgeAsync("svc-1", PurgeRequest.ForUrls("/a"), new PurgeOptions { Providers = ["c"] }));
    }
}
