namespace Poppy.Sdk.Tests;

public sealed class FailoverTests
{
    [Fact]
    public async Task CreateServiceAsync_FirstProviderTransientError_PlacesOnNext()
    {
        using var f = new Fixture();
        f.A.Faults.FailNext(1, transient: true, status: 503);

        var service = await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Equal("b", Assert.Single(service.Providers).Provider);
        Assert.Empty(f.A.Services);
        Assert.Single(f.B.Services);
        Assert.Empty(f.C.Services);
    }

    [Fact]
    public async Task CreateServiceAsync_FirstProviderHealthy_UsesOnlyIt()
    {
        using var f = new Fixture();

        var service = await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal("a", Assert.Single(service.Providers).Provider);
        Assert.Equal(0, f.B.CallCount("create"));
    }

    [Fact]
    public async Task CreateServiceAsync_CircuitOpen_SkipsProviderWithoutCallingIt()
    {
        using var f = new Fixture();
        f.A.Faults.SetUnavailable(true);
        // Trip a's circuit: two transient failures (minimum throughput 2, ratio 0.5).
        // Not completed: waiting for their deployments would move the clock past the sampling window.
        await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "trip-1");
        await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "trip-2");
        Assert.True(f.Client.IsCircuitOpen("a"));
        var callsBefore = f.A.Calls.Count;

        var service = await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal("b", service.Providers.Single(p => p.Status == ProviderStatus.Deployed).Provider);
        Assert.Equal(callsBefore, f.A.Calls.Count);
    }

    [Fact]
    public async Task CreateServiceAsync_CircuitBreakDurationPasses_ProviderIsTriedAgain()
    {
        using var f = new Fixture();
        f.A.Faults.SetUnavailable(true);
        // Not completed: waiting for their deployments would move the clock past the sampling window.
        await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "trip-1");
        await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "trip-2");
        Assert.True(f.Client.IsCircuitOpen("a"));
        f.A.Faults.SetUnavailable(false);

        f.Time.Advance(f.Options.CircuitBreaker.BreakDuration + TimeSpan.FromSeconds(1));
        var service = await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal("a", service.Providers.Single(p => p.Status == ProviderStatus.Deployed).Provider);
        Assert.False(f.Client.IsCircuitOpen("a"));
    }

    [Fact]
    public async Task CreateServiceAsync_AuthError_DoesNotFailOver()
    {
        using var f = new Fixture();
        f.A.Faults.FailNextAuth();

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal(401, ex.Status);
        Assert.False(ex.IsTransient);
        Assert.Equal(0, f.B.CallCount("create"));
        Assert.Equal(ProviderStatus.Failed, (await f.Client.GetServiceAsync("svc-1"))!.Status);
    }

    [Fact]
    public async Task CreateServiceAsync_UnsupportedFeatureOnAnyFailoverProvider_RejectedBeforeAnyCall()
    {
        using var f = new Fixture(capabilities: (name, caps) => name == "c" ? caps with { Restrictions = RestrictionSupport.None } : caps);

        var ex = await Assert.ThrowsAsync<CdnValidationException>(() => f.Client.CreateServiceAsync(TestSpecs.WithGeography("failover"), "svc-1"));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("/restrictions/0/rules/0", problem.Path);
        Assert.Equal("c", problem.Provider);
        Assert.Empty(f.A.Calls);
        Assert.Empty(f.B.Calls);
        Assert.Null(await f.Client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task CreateServiceAsync_FirstProviderHalfCreated_RemovesItThenFailsOverWithoutDuplicate()
    {
        using var f = new Fixture();
        f.A.Faults.HalfCreateNext();

        var service = await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal("b", service.Providers.Single(p => p.Status == ProviderStatus.Deployed).Provider);
        Assert.DoesNotContain(f.A.Services, s => s.Status != ProviderStatus.DeleteInProgress);
        Assert.Equal(1, f.A.CallCount("delete"));
        Assert.Single(f.B.Services);
        Assert.Empty(service.PendingCleanup);
    }

    [Fact]
    public async Task CreateServiceAsync_HalfCreatedAndProviderUnreachable_RecordsCleanupAndDeleteCleansUp()
    {
        using var f = new Fixture();
        f.A.Faults.HalfCreateNext();
        f.A.Faults.FailNext(1, transient: true, status: 503, operation: "get");

        var service = await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal(["a"], service.PendingCleanup);
        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Equal("b", Assert.Single(service.Providers).Provider);
        Assert.Single(f.A.Services);

        await f.CompleteAsync(await f.Client.DeleteServiceAsync("svc-1"));

        Assert.Empty(f.A.Services);
        Assert.Empty(f.B.Services);
        Assert.Null(await f.Client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task CreateServiceAsync_DeploymentFailsTransientlyWhilePolling_FailsOverToNext()
    {
        using var f = new Fixture();
        f.A.Faults.FailDeploymentNext();

        var service = await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal("b", service.Providers.Single(p => p.Status == ProviderStatus.Deployed).Provider);
        Assert.Single(f.B.Services);
        Assert.DoesNotContain(f.A.Services, s => s.Status != ProviderStatus.DeleteInProgress);
    }

    [Fact]
    public async Task CreateServiceAsync_EveryProviderTransient_ThrowsWithEveryAttempt()
    {
        using var f = new Fixture();
        f.A.Faults.SetUnavailable(true);
        f.B.Faults.SetUnavailable(true);
        f.C.Faults.SetUnavailable(true);

        var ex = await Assert.ThrowsAsync<CdnAllProvidersFailedException>(() => f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal(["a", "b", "c"], ex.Attempts.Select(a => a.Provider));
        var service = await f.Client.GetServiceAsync("svc-1");
        Assert.Equal(ProviderStatus.Failed, service!.Status);
        Assert.All(service.Providers, p => Assert.Equal("service_unavailable", p.Error!.Code));
    }

    [Fact]
    public async Task UpdateServiceAsync_Failover_GoesToTheHolderOnly()
    {
        using var f = new Fixture();
        f.A.Faults.FailNext(1, transient: true, status: 502);
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        await f.CompleteAsync(await f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover") with { Name = "renamed" }));

        Assert.Equal(1, f.B.CallCount("update"));
        Assert.Equal(0, f.A.CallCount("update"));
        Assert.Equal("renamed", (await f.Client.GetProviderServiceAsync("svc-1", "b"))!.Spec.Name);
    }

    [Fact]
    public async Task UpdateServiceAsync_HolderFailsTransientlyTwice_NeverMovesAndRetryConvergesThere()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));
        var vendorId = Assert.Single(f.A.Services).VendorServiceId;

        // The holder refuses two updates in a row (issue 9, defect 1: the second one used to place the service elsewhere
        // and "clean up" the live resource).
        f.A.Faults.FailNext(1, transient: true, status: 503, operation: "update");
        await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover") with { Name = "second" }));
        f.A.Faults.FailNext(1, transient: true, status: 503, operation: "update");
        await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover") with { Name = "third" }));

        var failed = (await f.Client.GetServiceAsync("svc-1"))!;
        var holder = Assert.Single(failed.Providers);
        Assert.Equal(("a", ProviderStatus.Failed, vendorId), (holder.Provider, holder.Status, holder.VendorServiceId));
        Assert.True(holder.Error!.IsTransient);
        Assert.Equal(vendorId, Assert.Single(f.A.Services).VendorServiceId);
        Assert.Empty(f.B.Services);
        Assert.Empty(f.C.Services);

        var converged = await f.CompleteAsync(await f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover") with { Name = "fourth" }));
        Assert.Equal(("a", ProviderStatus.Deployed), (Assert.Single(converged!.Providers).Provider, converged.Status));
        Assert.Equal("fourth", Assert.Single(f.A.Services).Spec.Name);
        Assert.Equal(0, f.B.CallCount("create") + f.C.CallCount("create"));
    }

    [Fact]
    public async Task UpdateServiceAsync_HolderDeploymentFails_StaysThereFailedAndNextUpdateConvergesThere()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));
        f.A.Faults.FailDeploymentNext();

        var update = await f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover") with { Name = "second" });

        await Assert.ThrowsAsync<CdnAllProvidersFailedException>(() => f.CompleteAsync(update));

        var holder = Assert.Single((await f.Client.GetServiceAsync("svc-1"))!.Providers);
        Assert.Equal(("a", ProviderStatus.Failed), (holder.Provider, holder.Status));
        Assert.NotNull(holder.VendorServiceId);
        var converged = await f.CompleteAsync(await f.Client.UpdateServiceAsync("svc-1", TestSpecs.Basic("failover") with { Name = "third" }));
        Assert.Equal(("a", ProviderStatus.Deployed), (Assert.Single(converged!.Providers).Provider, converged.Status));
        Assert.Single(f.A.Services);
        Assert.Empty(f.B.Services);
        Assert.Empty(f.C.Services);
    }
}
