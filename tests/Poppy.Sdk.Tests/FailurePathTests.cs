namespace Poppy.Sdk.Tests;

/// <summary>Regression tests for the composite's failure paths (issue 9): nothing lost, nothing orphaned, typed errors only.</summary>
public sealed class FailurePathTests
{
    [Fact]
    public async Task UpdateServiceAsync_FailoverHolderFailsTransiently_StaysWhereItIsAndRetryConvergesThere()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));
        var vendorId = f.A.Services.Single().VendorServiceId;

        // Two updates fail in turn: the service must never be placed elsewhere (the caller's CNAME points at a).
        for (var i = 0; i < 2; i++)
        {
            f.A.Faults.FailNext(1, transient: true, status: 503, operation: "update");
            var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover") with { Name = "renamed " + i }));
            Assert.True(error.IsTransient);
            Assert.Equal(("svc-1", "poppy:update:svc-1"), (error.ServiceId, error.OperationId));
            var failed = Assert.Single((await f.Client.GetServiceAsync("svc-1"))!.Providers);
            Assert.Equal(("a", ProviderStatus.Failed, vendorId), (failed.Provider, failed.Status, failed.VendorServiceId));
            Assert.Equal(0, f.B.CallCount("create") + f.C.CallCount("create"));
            Assert.Equal(0, f.A.CallCount("delete"));
        }

        var service = await f.CompleteAsync(await f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover") with { Name = "converged" }));

        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Equal("a", Assert.Single(service.Providers).Provider);
        Assert.Equal("converged", f.A.Services.Single().Spec.Name);
        Assert.Equal(vendorId, f.A.Services.Single().VendorServiceId);
        Assert.Empty(f.B.Services);
        Assert.Empty(f.C.Services);
    }

    [Fact]
    public async Task UpdateServiceAsync_HolderCircuitOpen_ThrowsTransientServiceUnavailableNotPolly()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));
        f.A.Faults.FailNext(20, transient: true, status: 503, operation: "get");
        for (var i = 0; i < 20 && !f.Client.IsCircuitOpen("a"); i++)
        {
            await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.GetProviderServiceAsync("svc-1", "a"));
        }

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover")));

        Assert.Equal(CdnErrorCode.ServiceUnavailable, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.True(ProviderError.FromException(error).IsTransient);
        Assert.Equal("a", Assert.Single((await f.Client.GetServiceAsync("svc-1"))!.Providers).Provider);
        Assert.Empty(f.B.Services);
    }

    [Fact]
    public async Task CreateServiceAsync_HalfCreatedAndDeleteTakesTime_FollowsTheDeleteToTheEnd()
    {
        using var f = new Fixture();
        f.A.Faults.HalfCreateNext();

        var create = await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1");

        // a's resource is being deleted (the in-memory CDN takes 30 s): not confirmed gone, so still pending clean-up.
        Assert.Equal(["a"], (await f.Client.GetServiceAsync("svc-1"))!.PendingCleanup);
        Assert.Equal([new PendingCleanup("svc-1", "a")], await f.Client.ListPendingCleanupsAsync().ToListAsync());
        Assert.Equal(["b", "a"], create.Providers);

        var service = await f.CompleteAsync(create);

        Assert.Equal("b", Assert.Single(service.Providers).Provider);
        Assert.Empty(service.PendingCleanup);
        Assert.Empty(f.A.Services);
        Assert.Single(f.B.Services);
    }

    [Fact]
    public async Task RetryPendingCleanupsAsync_ProviderWasUnreachable_RemovesTheOrphanOnceConfirmed()
    {
        using var f = new Fixture();
        f.A.Faults.HalfCreateNext();
        f.A.Faults.FailNext(1, transient: true, status: 503, operation: "get");
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));
        Assert.Single(f.A.Services);

        var first = await f.Client.RetryPendingCleanupsAsync();

        Assert.Equal([new PendingCleanup("svc-1", "a")], first.InProgress);
        Assert.Equal(["a"], (await f.Client.GetServiceAsync("svc-1"))!.PendingCleanup);
        f.Time.Advance(TimeSpan.FromSeconds(30));

        var second = await f.Client.RetryPendingCleanupsAsync();

        Assert.True(second.IsComplete);
        Assert.Equal([new PendingCleanup("svc-1", "a")], second.Removed);
        Assert.Empty(f.A.Services);
        Assert.Empty((await f.Client.GetServiceAsync("svc-1"))!.PendingCleanup);
        Assert.Equal("b", Assert.Single((await f.Client.GetServiceAsync("svc-1"))!.Providers).Provider);
        Assert.Empty(await f.Client.ListPendingCleanupsAsync().ToListAsync());
    }

    [Fact]
    public async Task CreateServiceAsync_GeneratedIdAndEveryProviderFails_ExceptionCarriesTheIdSoTheCallerCanClean()
    {
        using var f = new Fixture();
        f.A.Faults.FailNext(1, transient: false, status: 400);
        f.B.Faults.FailNext(1, transient: false, status: 400);

        var error = await Assert.ThrowsAsync<CdnAllProvidersFailedException>(() => f.Client.CreateServiceAsync(TestSpecs.Basic()));

        Assert.NotNull(error.ServiceId);
        Assert.Equal("poppy:create:" + error.ServiceId, error.OperationId);
        Assert.NotNull(await f.Client.GetServiceAsync(error.ServiceId));
        await f.CompleteAsync(await f.Client.DeleteServiceAsync(error.ServiceId));
        Assert.Null(await f.Client.GetServiceAsync(error.ServiceId));
    }

    [Fact]
    public async Task PurgeAsync_UnknownService_ThrowsServiceNotFoundCarryingTheServiceId()
    {
        using var f = new Fixture();

        var error = await Assert.ThrowsAsync<CdnServiceNotFoundException>(() => f.Client.PurgeAsync("svc-missing", PurgeRequest.ForUrls("/a")));

        Assert.Equal((CdnErrorCode.NotFound, "svc-missing"), (error.ErrorCode, error.ServiceId));
        Assert.Equal("catalog", error.Provider);
        Assert.StartsWith("Service 'svc-missing' is not in the catalog", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent to any vendor", error.Message, StringComparison.Ordinal);
        Assert.Empty(f.A.Purges);
    }

    [Fact]
    public async Task PurgeAsync_UnknownService_ExistingCatchOfRequestFailedStillCatchesIt()
    {
        using var f = new Fixture();

        // Code written before CdnServiceNotFoundException existed keeps working.
        var caught = await Record.ExceptionAsync(async () =>
        {
            try
            {
                await f.Client.PurgeAsync("svc-missing", PurgeRequest.ForUrls("/a"));
            }
            catch (CdnRequestFailedException e) when (e.ErrorCode == CdnErrorCode.NotFound)
            {
                return;
            }
        });

        Assert.Null(caught);
    }

    [Fact]
    public async Task RetryPurgeAsync_OneProviderFailedABatch_PurgesOnlyThoseItemsThere()
    {
        using var f = new Fixture(capabilities: (name, c) => c with { MaxPurgeBatchSize = 2 });
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        f.B.Faults.FailNext(1, transient: false, status: 400, operation: "purge");
        var report = await f.Client.PurgeAsync("svc-1", PurgeRequest.ForUrls("/1", "/2", "/3"));
        Assert.False(report.IsSuccess);
        var purgedOnA = f.A.Purges.Count;
        var purgedOnB = f.B.Purges.Count;

        var retry = await f.CompleteAsync(await f.Client.RetryPurgeAsync(report));

        Assert.True(retry.IsSuccess);
        Assert.Equal("b", Assert.Single(retry.Providers).Provider);
        Assert.Equal(purgedOnA, f.A.Purges.Count);
        Assert.Equal(report.Providers.Single(p => p.Provider == "b").Failed.Single().Items, f.B.Purges.Skip(purgedOnB).SelectMany(p => p.Request.Items));
        await Assert.ThrowsAsync<ArgumentException>(() => f.Client.RetryPurgeAsync(retry));
    }
}
