using Poppy.Sdk.Serialization;

namespace Poppy.Sdk.State.Tests;

/// <summary>
/// What every <see cref="IServiceCatalog"/> must do, run against each store: CRUD with versions, list paging in id
/// order, typed conflicts on a stale version, and no lost update under concurrent writers on separate handles
/// (separate connections or instances sharing one store).
/// </summary>
public abstract class CatalogContractTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _cleanup = [];

    /// <summary>Creates an empty store and returns a way to open handles on it (each a new connection pool or instance).</summary>
    /// <param name="listPageSize">How many services one list query reads.</param>
    /// <returns>Opens a handle on the same store.</returns>
    protected abstract Task<Func<IServiceCatalog>> CreateStoreAsync(int listPageSize);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in _cleanup)
        {
            await item.DisposeAsync();
        }
    }

    protected void OnDispose(IAsyncDisposable item) => _cleanup.Add(item);

    private async Task<IServiceCatalog> NewAsync(int listPageSize = 500) => (await CreateStoreAsync(listPageSize))();

    [Fact]
    public async Task GetAsync_Absent_ReturnsNull()
    {
        var catalog = await NewAsync();

        Assert.Null(await catalog.GetAsync("nope"));
    }

    [Fact]
    public async Task SaveAsync_NewService_StoresVersion1AndRoundTripsEveryField()
    {
        var catalog = await NewAsync();
        var service = TestServices.Rich("svc-rich");

        var saved = await catalog.SaveAsync(service);
        var read = await catalog.GetAsync("svc-rich");

        Assert.Equal(1, saved.Version);
        Assert.NotNull(read);
        Assert.Equal(1, read.Version);
        Assert.Equal(PoppyJson.Serialize(service.Spec), PoppyJson.Serialize(read.Spec));
        Assert.Equal(["akamai"], read.PendingCleanup);
        Assert.Equal(["fastly", "cloudfront"], read.Providers.Select(p => p.Provider));
        var fastly = read.Providers[0];
        Assert.Equal(("SU1Z0isxPaozGVKXdv0eY", ProviderStatus.Deployed), (fastly.VendorServiceId, fastly.Status));
        Assert.Equal(new AccessUrl("www.example.com", "www.example.com.global.prod.fastly.net"), Assert.Single(fastly.AccessUrls));
        Assert.Equal(CertificateStatus.Deployed, fastly.CertificateStatuses["www.example.com"]);
        Assert.Null(fastly.Error);
        var cloudfront = read.Providers[1];
        Assert.Equal(("E2QWRUHAPOMQZL", ProviderStatus.Failed, "op-123"), (cloudfront.VendorServiceId, cloudfront.Status, cloudfront.OperationId));
        Assert.Equal(service.Providers[1].Error, cloudfront.Error);
        Assert.Equal(ProviderStatus.Failed, read.Status);
    }

    [Fact]
    public async Task SaveAsync_ReadVersion_IncrementsAndReplacesTheEntry()
    {
        var catalog = await NewAsync();
        var first = await catalog.SaveAsync(TestServices.Rich("svc-1"));

        var second = await catalog.SaveAsync(first with { Spec = first.Spec with { Name = "renamed" }, Providers = [], PendingCleanup = [] });
        var read = await catalog.GetAsync("svc-1");

        Assert.Equal(2, second.Version);
        Assert.Equal((2L, "renamed"), (read!.Version, read.Spec.Name));
        Assert.Empty(read.Providers);
        Assert.Empty(read.PendingCleanup);
    }

    [Fact]
    public async Task SaveAsync_StaleVersion_ThrowsConflictWithBothVersionsAndKeepsTheStoredEntry()
    {
        var catalog = await NewAsync();
        var first = await catalog.SaveAsync(TestServices.Service("svc-1"));
        await catalog.SaveAsync(first with { Spec = first.Spec with { Name = "renamed" } });

        var conflict = await Assert.ThrowsAsync<CatalogConflictException>(() => catalog.SaveAsync(first with { Spec = first.Spec with { Name = "stale" } }).AsTask());

        Assert.Equal(("svc-1", 1L, 2L), (conflict.ServiceId, conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.Equal("renamed", (await catalog.GetAsync("svc-1"))!.Spec.Name);
    }

    [Fact]
    public async Task SaveAsync_NewServiceThatAlreadyExists_ThrowsConflict()
    {
        var catalog = await NewAsync();
        await catalog.SaveAsync(TestServices.Service("svc-1"));

        var conflict = await Assert.ThrowsAsync<CatalogConflictException>(() => catalog.SaveAsync(TestServices.Service("svc-1")).AsTask());

        Assert.Equal((0L, 1L), (conflict.ExpectedVersion, conflict.ActualVersion));
    }

    [Fact]
    public async Task SaveAsync_UpdateOfARemovedService_ThrowsConflictWithStoredVersion0()
    {
        var catalog = await NewAsync();
        var saved = await catalog.SaveAsync(TestServices.Service("svc-1"));
        await catalog.DeleteAsync("svc-1", saved.Version);

        var conflict = await Assert.ThrowsAsync<CatalogConflictException>(() => catalog.SaveAsync(saved).AsTask());

        Assert.Equal((1L, 0L), (conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.Null(await catalog.GetAsync("svc-1"));
    }

    [Fact]
    public async Task DeleteAsync_StaleVersion_ThrowsConflictAndKeepsTheEntry_ThenCurrentVersionRemovesIt()
    {
        var catalog = await NewAsync();
        var saved = await catalog.SaveAsync(TestServices.Service("svc-1"));
        await catalog.SaveAsync(saved);

        var conflict = await Assert.ThrowsAsync<CatalogConflictException>(() => catalog.DeleteAsync("svc-1", saved.Version).AsTask());

        Assert.Equal((1L, 2L), (conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.NotNull(await catalog.GetAsync("svc-1"));
        Assert.True(await catalog.DeleteAsync("svc-1", 2));
        Assert.Null(await catalog.GetAsync("svc-1"));
        Assert.False(await catalog.DeleteAsync("svc-1", 2));
    }

    [Fact]
    public async Task ListAsync_Empty_ReturnsNothing()
    {
        var catalog = await NewAsync(listPageSize: 3);

        Assert.Empty(await catalog.ListAsync().ToListAsync());
    }

    [Theory]
    [InlineData(3)] // several pages, the last one partial
    [InlineData(4)] // pages that end exactly at the last service
    [InlineData(1000)] // one page
    public async Task ListAsync_ManyServices_ReturnsEachOnceInOrdinalIdOrder(int pageSize)
    {
        var catalog = await NewAsync(listPageSize: pageSize);
        // Ids whose order differs between ordinal and culture-aware comparison (case, '-', '_', digits).
        string[] ids = ["b", "a", "B", "A", "a-1", "a_1", "a1", "Z", "_x", "z", "0", "a-10"];
        foreach (var id in ids)
        {
            await catalog.SaveAsync(TestServices.Service(id));
        }

        var listed = await catalog.ListAsync().Select(s => s.ServiceId).ToListAsync();

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task ListAsync_StopsEarly_WhenTheCallerStops()
    {
        var catalog = await NewAsync(listPageSize: 2);
        for (var i = 0; i < 7; i++)
        {
            await catalog.SaveAsync(TestServices.Service($"svc-{i}"));
        }

        var firstThree = await catalog.ListAsync().Take(3).Select(s => s.ServiceId).ToListAsync();

        Assert.Equal(["svc-0", "svc-1", "svc-2"], firstThree);
    }

    [Fact]
    public async Task SecondHandle_SeesTheFirstHandlesWrites_AndItsStaleWriteConflicts()
    {
        var open = await CreateStoreAsync(500);
        var first = open();
        var second = open();
        var saved = await first.SaveAsync(TestServices.Rich("svc-1"));

        var seen = await second.GetAsync("svc-1");
        await second.SaveAsync(seen! with { PendingCleanup = [] });

        Assert.Equal(1, seen!.Version);
        Assert.Equal(["svc-1"], await second.ListAsync().Select(s => s.ServiceId).ToListAsync());
        await Assert.ThrowsAsync<CatalogConflictException>(() => first.SaveAsync(saved with { Spec = saved.Spec with { Name = "lost?" } }).AsTask());
        Assert.Empty((await first.GetAsync("svc-1"))!.PendingCleanup);
    }

    [Fact]
    public async Task ConcurrentWriters_OnSeparateHandles_RereadAndRetryOnConflict_LoseNoUpdate()
    {
        const int writers = 6;
        const int incrementsEach = 12;
        var open = await CreateStoreAsync(500);
        await open().SaveAsync(TestServices.Service("counter"));
        var handles = Enumerable.Range(0, writers).Select(_ => open()).ToList();
        var conflicts = 0;
        using var start = new ManualResetEventSlim();

        var tasks = handles.Select((catalog, w) => Task.Run(async () =>
        {
            start.Wait();
            for (var i = 0; i < incrementsEach; i++)
            {
                while (true)
                {
                    var current = (await catalog.GetAsync("counter"))!;
                    try
                    {
                        await catalog.SaveAsync(current with { PendingCleanup = [.. current.PendingCleanup, $"w{w}-{i}"] });
                        break;
                    }
                    catch (CatalogConflictException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        })).ToList();
        start.Set();
        await Task.WhenAll(tasks);

        var final = (await open().GetAsync("counter"))!;
        Assert.Equal(1 + (writers * incrementsEach), final.Version);
        Assert.Equal(writers * incrementsEach, final.PendingCleanup.Count);
        Assert.Equal(writers * incrementsEach, final.PendingCleanup.Distinct().Count());
        // Each writer's own increments stay in its order (appended after re-reading, never reordered or lost).
        for (var w = 0; w < writers; w++)
        {
            Assert.Equal(Enumerable.Range(0, incrementsEach).Select(i => $"w{w}-{i}"), final.PendingCleanup.Where(p => p.StartsWith($"w{w}-", StringComparison.Ordinal)));
        }
    }
}
