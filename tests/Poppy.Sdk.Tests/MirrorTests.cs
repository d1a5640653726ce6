namespace Poppy.Sdk.Tests;

public sealed class MirrorTests
{
    [Fact]
    public async Task CreateServiceAsync_MirrorFlavor_ProvisionsOnEveryProviderAndReportsProgressUntilDeployed()
    {
        using var f = new Fixture();

        var op = await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1");

        Assert.False(await op.UpdateStatusAsync());
        var during = await f.Client.GetServiceAsync("svc-1");
        Assert.Equal(ProviderStatus.CreateInProgress, during!.Status);
        Assert.Equal(["a", "b"], during.Providers.Select(p => p.Provider));
        Assert.Contains("a:", op.StatusDescription, StringComparison.Ordinal);

        var service = await f.CompleteAsync(op);

        Assert.NotNull(service);
        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.All(service.Providers, p =>
        {
            Assert.Equal(ProviderStatus.Deployed, p.Status);
            Assert.NotNull(p.VendorServiceId);
            Assert.Null(p.OperationId);
            Assert.Single(p.AccessUrls);
        });
        Assert.Single(f.A.Services);
        Assert.Single(f.B.Services);
    }

    [Fact]
    public async Task CreateServiceAsync_OneProviderFailsPermanently_RecordsPerProviderAndRetryConverges()
    {
        using var f = new Fixture();
        f.B.Faults.FailNext(1, transient: false, status: 400);

        var op = await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1");
        var service = await f.CompleteAsync(op);

        Assert.Equal(ProviderStatus.Failed, service.Status);
        var a = service.Providers.Single(p => p.Provider == "a");
        var b = service.Providers.Single(p => p.Provider == "b");
        Assert.Equal(ProviderStatus.Deployed, a.Status);
        Assert.Equal(ProviderStatus.Failed, b.Status);
        Assert.Equal("invalid_request", b.Error!.Code);
        Assert.False(b.Error.IsTransient);
        Assert.Single(f.A.Services);
        Assert.Empty(f.B.Services);

        // The retry (an update to the same spec) converges: b is created, a is updated in place.
        var retry = await f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic());
        var converged = await f.CompleteAsync(retry);

        Assert.Equal(ProviderStatus.Deployed, converged!.Status);
        Assert.All(converged.Providers, p => Assert.Null(p.Error));
        Assert.Single(f.A.Services);
        Assert.Single(f.B.Services);
    }

    [Fact]
    public async Task CreateServiceAsync_SameIdTwice_DoesNotDuplicate()
    {
        using var f = new Fixture();

        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));

        Assert.Single(f.A.Services);
        Assert.Single(f.B.Services);
        Assert.Single(await f.Client.ListServicesAsync().ToListAsync());
    }

    [Fact]
    public async Task CreateServiceAsync_EveryProviderFails_ThrowsAllProvidersFailedWithEachAttempt()
    {
        using var f = new Fixture();
        f.A.Faults.FailNext(1, transient: true, status: 503);
        f.B.Faults.FailNext(1, transient: false, status: 403);

        var ex = await Assert.ThrowsAsync<CdnAllProvidersFailedException>(() => f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));

        Assert.Equal(["a", "b"], ex.Attempts.Select(a => a.Provider));
        var service = await f.Client.GetServiceAsync("svc-1");
        Assert.Equal(ProviderStatus.Failed, service!.Status);
    }

    [Fact]
    public async Task CreateServiceAsync_MirrorStartsProvidersInParallel()
    {
        using var f = new Fixture(deploymentDelay: TimeSpan.FromSeconds(30));

        var op = await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1");
        // Both deployments run on the same clock: one 30 s advance deploys both (the sum would need 60 s).
        f.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await op.UpdateStatusAsync());
        Assert.Equal(ProviderStatus.Deployed, op.Value.Status);
    }

    [Fact]
    public async Task DeleteServiceAsync_Mirror_RemovesEverywhereAndFromCatalog()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));

        var op = await f.Client.DeleteServiceAsync("svc-1");
        var during = await f.Client.GetServiceAsync("svc-1");
        Assert.Equal(ProviderStatus.DeleteInProgress, during!.Status);
        await f.CompleteAsync(op);

        Assert.Empty(f.A.Services);
        Assert.Empty(f.B.Services);
        Assert.Null(await f.Client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task DeleteServiceAsync_OneProviderFails_KeepsServiceInCatalogAndFails()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        f.B.Faults.FailNext(1, transient: false, status: 409);

        var op = await f.Client.DeleteServiceAsync("svc-1");
        var ex = await Assert.ThrowsAsync<CdnAllProvidersFailedException>(() => f.CompleteAsync(op));

        Assert.Equal("b", Assert.Single(ex.Attempts).Provider);
        var service = await f.Client.GetServiceAsync("svc-1");
        Assert.NotNull(service);
        Assert.Equal("b", Assert.Single(service.Providers).Provider);
        Assert.Equal(ProviderStatus.Failed, service.Status);
        Assert.Single(f.B.Services);

        // Deleting again finishes the job.
        await f.CompleteAsync(await f.Client.DeleteServiceAsync("svc-1"));
        Assert.Empty(f.B.Services);
        Assert.Null(await f.Client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task DeleteServiceAsync_UnknownService_CompletesAtOnce()
    {
        using var f = new Fixture();

        var op = await f.Client.DeleteServiceAsync("nope");

        Assert.True(op.HasCompleted);
        Assert.Equal(0, f.A.CallCount("delete"));
    }

    [Fact]
    public async Task UpdateServiceAsync_ChangesTtlOnEveryProvider()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        var changed = TestSpecs.Basic() with { Caching = [new Models.CachingRule("default", 60, new Models.PathRule("default", "/*"))] };

        var op = await f.Client.UpdateServiceAsync("svc-1", changed);
        Assert.Equal(ProviderStatus.UpdateInProgress, (await f.Client.GetServiceAsync("svc-1"))!.Status);
        await f.CompleteAsync(op);

        foreach (var provider in new[] { "a", "b" })
        {
            var read = await f.Client.GetProviderServiceAsync("svc-1", provider);
            Assert.Equal(60, read!.Spec.Caching![0].Ttl);
        }
    }

    [Fact]
    public async Task UpdateServiceAsync_FlavorChanged_IsRejectedWithPath()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));

        var ex = await Assert.ThrowsAsync<CdnValidationException>(() => f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover")));

        Assert.Equal("/flavor_id", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public async Task UpdateServiceAsync_UnknownService_ThrowsNotFound()
    {
        using var f = new Fixture();

        var ex = await Assert.ThrowsAsync<CdnServiceNotFoundException>(() => f.Client.UpdateServiceAsync("nope", TestSpecs.Basic()));

        Assert.Equal(CdnErrorCode.NotFound, ex.ErrorCode);
        Assert.Equal(404, ex.Status);
    }
}
