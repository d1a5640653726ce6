using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Catalog;

namespace Poppy.Sdk.Tests;

/// <summary>The versioned catalog: optimistic concurrency, and a writer that never loses an update.</summary>
public sealed class CatalogTests
{
    [Fact]
    public async Task SaveAsync_StaleVersion_ThrowsConflictAndKeepsTheStoredEntry()
    {
        var catalog = new InMemoryServiceCatalog();
        var first = await catalog.SaveAsync(Service("svc-1"));
        var second = await catalog.SaveAsync(first with { Spec = first.Spec with { Name = "renamed" } });

        var conflict = await Assert.ThrowsAsync<CatalogConflictException>(() => catalog.SaveAsync(first with { Spec = first.Spec with { Name = "stale" } }).AsTask());

        Assert.Equal((1L, 2L), (first.Version, second.Version));
        Assert.Equal(("svc-1", 1L, 2L), (conflict.ServiceId, conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.Equal("renamed", (await catalog.GetAsync("svc-1"))!.Spec.Name);
    }

    [Fact]
    public async Task SaveAsync_NewEntryThatAlreadyExists_ThrowsConflict()
    {
        var catalog = new InMemoryServiceCatalog();
        await catalog.SaveAsync(Service("svc-1"));

        await Assert.ThrowsAsync<CatalogConflictException>(() => catalog.SaveAsync(Service("svc-1")).AsTask());
    }

    [Fact]
    public async Task DeleteAsync_StaleVersion_ThrowsConflictAndKeepsTheEntry()
    {
        var catalog = new InMemoryServiceCatalog();
        var saved = await catalog.SaveAsync(Service("svc-1"));
        await catalog.SaveAsync(saved);

        await Assert.ThrowsAsync<CatalogConflictException>(() => catalog.DeleteAsync("svc-1", saved.Version).AsTask());

        Assert.NotNull(await catalog.GetAsync("svc-1"));
        Assert.True(await catalog.DeleteAsync("svc-1", 2));
        Assert.False(await catalog.DeleteAsync("svc-1", 2));
    }

    [Fact]
    public async Task UpdateAsync_AnotherWriterSavesInBetween_ReappliesTheChangeAndLosesNothing()
    {
        var shared = new InMemoryServiceCatalog();
        await shared.SaveAsync(Service("svc-1"));
        var racing = new InterleavingCatalog(shared);
        var mine = new CatalogWriter(racing, NullLogger.Instance);
        var theirs = new CatalogWriter(shared, NullLogger.Instance);
        racing.BeforeNextSave = () => theirs.RecordAsync("svc-1", Details("theirs"), _ => [], CancellationToken.None);
        var applied = 0;

        var saved = await mine.UpdateAsync("svc-1", s => { applied++; return CatalogWriter.WithProvider(s!, Details("mine")); }, CancellationToken.None);

        Assert.Equal(2, applied);
        Assert.Equal(["theirs", "mine"], saved!.Providers.Select(p => p.Provider));
        Assert.Equal(3, saved.Version);
        Assert.Equal(saved, await shared.GetAsync("svc-1"));
    }

    [Fact]
    public async Task UpdateAsync_TwoConcurrentWriters_EveryUpdateIsKept()
    {
        var shared = new InMemoryServiceCatalog();
        await shared.SaveAsync(Service("svc-1"));
        var writers = new[] { new CatalogWriter(shared, NullLogger.Instance), new CatalogWriter(shared, NullLogger.Instance) };

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            writers[i % 2].RecordAsync("svc-1", Details("p" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)), _ => [], CancellationToken.None))));

        var final = (await shared.GetAsync("svc-1"))!;
        Assert.Equal(100, final.Providers.Count);
        Assert.Equal(100, final.Providers.Select(p => p.Provider).Distinct().Count());
        Assert.Equal(101, final.Version);
    }

    [Fact]
    public async Task TwoClientsSharingACatalog_ConcurrentCreates_BothServicesAndEveryRecordKept()
    {
        var shared = new InMemoryServiceCatalog();
        using var f1 = new Fixture();
        using var f2 = new Fixture();
        using var one = new PoppyClient([f1.A, f1.B, f1.C], f1.Options, shared, f1.Time);
        using var two = new PoppyClient([f2.A, f2.B, f2.C], f2.Options, shared, f2.Time);

        var ops = await Task.WhenAll(
            Task.Run(() => one.CreateServiceAsync(TestSpecs.Basic(), "svc-1")),
            Task.Run(() => two.CreateServiceAsync(TestSpecs.Basic(domain: "www.example.org"), "svc-2")));

        Assert.Equal(["a", "b"], (await shared.GetAsync("svc-1"))!.Providers.Select(p => p.Provider));
        Assert.Equal(["a", "b"], (await shared.GetAsync("svc-2"))!.Providers.Select(p => p.Provider));
        Assert.All(ops, op => Assert.False(op.HasCompleted));
    }

    private static CdnService Service(string id) => new() { ServiceId = id, Spec = TestSpecs.Basic() };

    private static ProviderServiceDetails Details(string provider) => new() { Provider = provider, ServiceId = "svc-1", Status = ProviderStatus.Deployed };

    /// <summary>Runs another writer's whole update just before the next save, so that save finds a newer version.</summary>
    private sealed class InterleavingCatalog(IServiceCatalog inner) : IServiceCatalog
    {
        public Func<Task>? BeforeNextSave { get; set; }

        public ValueTask<CdnService?> GetAsync(string serviceId, CancellationToken cancellationToken = default) => inner.GetAsync(serviceId, cancellationToken);

        public async ValueTask<CdnService> SaveAsync(CdnService service, CancellationToken cancellationToken = default)
        {
            if (BeforeNextSave is { } before)
            {
                BeforeNextSave = null;
                await before();
            }

            return await inner.SaveAsync(service, cancellationToken);
        }

        public ValueTask<bool> DeleteAsync(string serviceId, long expectedVersion, CancellationToken cancellationToken = default) => inner.DeleteAsync(serviceId, expectedVersion, cancellationToken);

        public IAsyncEnumerable<CdnService> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
