using Poppy.Sdk.Models;

namespace Poppy.Sdk.Tests;

/// <summary>A caller who gives up while a create starts must not leave a vendor resource the catalog cannot reach.</summary>
public sealed class CancellationTests
{
    [Theory]
    [InlineData("mirror")]
    [InlineData("failover")]
    public async Task CreateServiceAsync_CallerCancelsAfterVendorCreated_ProviderStaysReachableAndDeleteRemovesIt(string flavor)
    {
        using var f = new Fixture();
        using var caller = new CancellationTokenSource();
        using var client = new PoppyClient([new CancelsCallerAfterCreate(f.A, caller), f.B, f.C], f.Options, timeProvider: f.Time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateServiceAsync(TestSpecs.Basic(flavor), "svc-1", caller.Token));

        // Mirror keeps a on record (failed, cancelled); failover records it for clean-up: either way a delete reaches it.
        Assert.Single(f.A.Services);
        var service = await client.GetServiceAsync("svc-1");
        Assert.NotNull(service);
        Assert.Contains("a", service.Providers.Select(p => p.Provider).Concat(service.PendingCleanup));
        await f.CompleteAsync(await client.DeleteServiceAsync("svc-1"));
        Assert.Empty(f.A.Services);
        Assert.Null(await client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task CreateServiceAsync_MirrorCallerCancelsAfterVendorCreated_RetryConvergesWithoutDuplicate()
    {
        using var f = new Fixture();
        using var caller = new CancellationTokenSource();
        using var client = new PoppyClient([new CancelsCallerAfterCreate(f.A, caller), f.B, f.C], f.Options, timeProvider: f.Time);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1", caller.Token));

        var service = await f.CompleteAsync(await client.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1"));

        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Equal(["a", "b"], service.Providers.Select(p => p.Provider));
        Assert.Single(f.A.Services);
        Assert.Single(f.B.Services);
    }

    [Fact]
    public async Task CreateServiceAsync_FailoverCallerCancelsAfterVendorCreated_RetryPlacesItThereWithoutDuplicate()
    {
        using var f = new Fixture();
        using var caller = new CancellationTokenSource();
        using var client = new PoppyClient([new CancelsCallerAfterCreate(f.A, caller), f.B, f.C], f.Options, timeProvider: f.Time);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1", caller.Token));

        var service = await f.CompleteAsync(await client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));

        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Equal("a", Assert.Single(service.Providers).Provider);
        Assert.Empty(service.PendingCleanup);
        Assert.Single(f.A.Services);
        Assert.Empty(f.B.Services);
    }

    /// <summary>The vendor makes the service; then the caller gives up before the answer arrives.</summary>
    private sealed class CancelsCallerAfterCreate(ICdnProvider inner, CancellationTokenSource caller) : DelegatingCdnProvider(inner)
    {
        public override async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
        {
            var operation = await base.CreateServiceAsync(serviceId, spec, cancellationToken);
            await caller.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return operation;
        }
    }
}
