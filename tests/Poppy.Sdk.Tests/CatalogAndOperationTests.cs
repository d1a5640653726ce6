namespace Poppy.Sdk.Tests;

public sealed class CatalogAndOperationTests
{
    [Fact]
    public async Task RebuildCatalogAsync_EmptyCatalog_RecoversServicesFromProviders()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(domain: "cdn.example.org"), "svc-2"));
        using var fresh = new PoppyClient([f.A, f.B, f.C], f.Options, timeProvider: f.Time);

        var report = await fresh.RebuildCatalogAsync();

        Assert.Equal(2, report.ServiceCount);
        Assert.Empty(report.Failures);
        var svc = await fresh.GetServiceAsync("svc-2");
        Assert.Equal("cdn.example.org", svc!.Spec.Domains[0].Domain);
        Assert.Equal(["a", "b"], svc.Providers.Select(p => p.Provider));
        Assert.Equal(ProviderStatus.Deployed, svc.Status);
    }

    [Fact]
    public async Task RebuildCatalogAsync_ProviderDown_ReportsItAndKeepsOthers()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        f.B.Faults.SetUnavailable(true);
        using var fresh = new PoppyClient([f.A, f.B, f.C], f.Options, timeProvider: f.Time);

        var report = await fresh.RebuildCatalogAsync();

        Assert.Equal(1, report.ServiceCount);
        Assert.Equal("b", Assert.Single(report.Failures).Provider);
    }

    [Fact]
    public async Task ResumeOperationAsync_FromId_CompletesTheSameWork()
    {
        using var f = new Fixture();
        var op = await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1");

        var resumed = await f.Client.ResumeOperationAsync(op.Id);
        var service = await f.CompleteAsync(Assert.IsType<ServiceOperation>(resumed));

        Assert.Equal("poppy:create:svc-1", resumed.Id);
        Assert.Equal(ProviderStatus.Deployed, service.Status);
    }

    [Fact]
    public async Task ResumeOperationAsync_DeleteId_GivesADeleteOperationNamingTheProviders()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        var delete = await f.Client.DeleteServiceAsync("svc-1");

        var resumed = Assert.IsType<DeleteServiceOperation>(await f.Client.ResumeOperationAsync(delete.Id));
        var deletion = await f.CompleteAsync(resumed);

        Assert.Equal("poppy:delete:svc-1", resumed.Id);
        Assert.Equal("svc-1", deletion.ServiceId);
        Assert.Equal(["a", "b"], deletion.Providers);
        Assert.Null(await f.Client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task DeleteServiceAsync_UnknownService_CompletesAtOnceHavingRemovedNothing()
    {
        using var f = new Fixture();

        var delete = await f.Client.DeleteServiceAsync("svc-unknown");

        Assert.True(delete.HasCompleted);
        Assert.Equal("svc-unknown", delete.Value.ServiceId);
        Assert.Empty(delete.Value.Providers);
    }

    [Fact]
    public async Task ResumeOperationAsync_CreateIdOfUnknownService_ThrowsNotFound()
    {
        using var f = new Fixture();

        var ex = await Assert.ThrowsAsync<CdnServiceNotFoundException>(() => f.Client.ResumeOperationAsync("poppy:create:svc-gone"));

        Assert.Equal("svc-gone", ex.ServiceId);
    }

    [Fact]
    public async Task ResumeOperationAsync_ForeignId_Throws()
    {
        using var f = new Fixture();

        await Assert.ThrowsAsync<ArgumentException>(() => f.Client.ResumeOperationAsync("fastly:create:x"));
    }

    [Fact]
    public async Task WaitForCompletionAsync_DrivenByFakeClock_CompletesOnlyAfterDeploymentDelay()
    {
        using var f = new Fixture(deploymentDelay: TimeSpan.FromSeconds(60));
        var t0 = f.Time.GetUtcNow();
        var op = await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1");

        var wait = op.WaitForCompletionAsync(TimeSpan.FromSeconds(10));
        // The provider's hint (the 60 s left) wins over the caller's 10 s; the clock moves only once the
        // wait has registered that timer, never while a poll runs.
        await f.Time.WaitForTimerAsync(TimeSpan.FromSeconds(60));
        f.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(wait.IsCompleted);
        f.Time.Advance(TimeSpan.FromSeconds(1));

        var service = await wait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Equal(TimeSpan.FromSeconds(60), f.Time.GetUtcNow() - t0);
    }

    [Fact]
    public async Task DefaultPollingInterval_ProviderGivesAHint_IsTheProvidersNotTheBaseFiveSeconds()
    {
        using var f = new Fixture();

        var op = await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1");

        // The in-memory provider's operations poll every second; the composite operation follows the shortest hint.
        Assert.Equal(TimeSpan.FromSeconds(1), op.DefaultPollingInterval);
    }

    [Fact]
    public async Task CreateServiceAsync_InvalidSpec_ThrowsEveryProblemAndSendsNothing()
    {
        using var f = new Fixture();
        var spec = TestSpecs.Basic() with { Name = "x", FlavorId = "nope" };

        var ex = await Assert.ThrowsAsync<CdnValidationException>(() => f.Client.CreateServiceAsync(spec, "svc-1"));

        Assert.Contains(ex.Problems, p => p.Path == "/flavor_id");
        Assert.Contains(ex.Problems, p => p.Path == "/name");
        Assert.Empty(f.A.Calls);
        Assert.Null(await f.Client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task CreateServiceAsync_Cancelled_ThrowsAndCreatesNothing()
    {
        using var f = new Fixture();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-1", cts.Token));

        Assert.Empty(f.A.Services);
        Assert.Empty(f.B.Services);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public async Task CreateServiceAsync_BadServiceId_Throws(string id)
    {
        using var f = new Fixture();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => f.Client.CreateServiceAsync(TestSpecs.Basic(), id));
    }

    [Fact]
    public void Constructor_DuplicateProviderNames_Throws()
    {
        using var f = new Fixture();

        var ex = Assert.Throws<ArgumentException>(() => new PoppyClient([f.A, f.A], new PoppyClientOptions().AddFlavor("x", FlavorMode.Mirror, "a")));

        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FlavorNamesUnknownProvider_ListsEveryProblem()
    {
        using var f = new Fixture();
        var options = new PoppyClientOptions().AddFlavor("x", FlavorMode.Mirror, "a", "zzz").AddFlavor("y", FlavorMode.Failover);

        var ex = Assert.Throws<ArgumentException>(() => new PoppyClient([f.A], options));

        Assert.Contains("'zzz' is not registered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Poppy:Flavors:y:Providers", ex.Message, StringComparison.Ordinal);
    }
}
