namespace Poppy.Sdk.State.Tests;

/// <summary>
/// What every <see cref="IOperationJournal"/> must do, run against each store: start and replace runs, renew only
/// one's own run and lease, complete once, claim expired leases atomically (each entry by exactly one of several
/// concurrent claimers on separate handles), list newest first with filters, and prune only completed entries.
/// </summary>
public abstract class JournalContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private readonly List<IAsyncDisposable> _cleanup = [];

    /// <summary>Creates an empty store and returns a way to open handles on it (each a new connection pool or instance).</summary>
    /// <returns>Opens a handle on the same store.</returns>
    protected abstract Task<Func<IOperationJournal>> CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in _cleanup)
        {
            await item.DisposeAsync();
        }
    }

    protected void OnDispose(IAsyncDisposable item) => _cleanup.Add(item);

    private async Task<IOperationJournal> NewAsync() => (await CreateStoreAsync())();

    private static OperationJournalEntry Entry(string serviceId, OperationKind kind = OperationKind.Create, string owner = "a", string run = "run-1", DateTimeOffset? startedAt = null, TimeSpan? lease = null, string? data = null)
    {
        var start = startedAt ?? T0;
        var id = kind == OperationKind.Purge ? $"poppy:purge:{serviceId}:{run}" : $"poppy:{OperationId.KindText(kind)}:{serviceId}";
        return new OperationJournalEntry
        {
            OperationId = id,
            RunId = run,
            ServiceId = serviceId,
            Kind = kind,
            Owner = owner,
            StartedAt = start,
            UpdatedAt = start,
            LeaseExpiresAt = start + (lease ?? TimeSpan.FromMinutes(2)),
            Data = data,
        };
    }

    [Fact]
    public async Task GetAsync_Absent_ReturnsNull()
    {
        var journal = await NewAsync();

        Assert.Null(await journal.GetAsync("poppy:create:nope"));
    }

    [Fact]
    public async Task StartAsync_ThenGet_RoundTripsEveryField()
    {
        var journal = await NewAsync();
        var entry = Entry("svc-1", OperationKind.Purge, owner: "host-1:42:abcd", run: "0193a1b2", data: """{"kind":"url","items":["/a"]}""");

        await journal.StartAsync(entry);
        var read = await journal.GetAsync(entry.OperationId);

        Assert.NotNull(read);
        Assert.Equal(entry.OperationId, read.OperationId);
        Assert.Equal(("0193a1b2", "svc-1", OperationKind.Purge, OperationJournalState.Running, "host-1:42:abcd"), (read.RunId, read.ServiceId, read.Kind, read.State, read.Owner));
        Assert.Equal(T0, read.StartedAt);
        Assert.Equal(T0, read.UpdatedAt);
        Assert.Equal(T0.AddMinutes(2), read.LeaseExpiresAt);
        Assert.Null(read.CompletedAt);
        Assert.Equal(0, read.Claims);
        Assert.Equal("""{"kind":"url","items":["/a"]}""", read.Data);
        Assert.Null(read.Error);
    }

    [Fact]
    public async Task StartAsync_SameOperationIdAgain_ReplacesTheRunAndTheOldRunCanNoLongerRenewOrComplete()
    {
        var journal = await NewAsync();
        await journal.StartAsync(Entry("svc-1", OperationKind.Update, owner: "a", run: "r1"));
        await journal.CompleteAsync("poppy:update:svc-1", "r1", OperationJournalState.Succeeded, null, T0.AddMinutes(1));

        await journal.StartAsync(Entry("svc-1", OperationKind.Update, owner: "b", run: "r2", startedAt: T0.AddMinutes(5)));

        var read = await journal.GetAsync("poppy:update:svc-1");
        Assert.Equal(("r2", "b", OperationJournalState.Running), (read!.RunId, read.Owner, read.State));
        Assert.Null(read.CompletedAt);
        Assert.False(await journal.RenewAsync("poppy:update:svc-1", "r1", "b", T0.AddMinutes(6), T0.AddMinutes(8)));
        Assert.False(await journal.CompleteAsync("poppy:update:svc-1", "r1", OperationJournalState.Failed, null, T0.AddMinutes(6)));
        Assert.Equal(OperationJournalState.Running, (await journal.GetAsync("poppy:update:svc-1"))!.State);
    }

    [Fact]
    public async Task RenewAsync_OwnRun_ExtendsTheLeaseAndKeepsOrReplacesData()
    {
        var journal = await NewAsync();
        await journal.StartAsync(Entry("svc-1", OperationKind.Purge, run: "r1", data: "first"));
        var id = "poppy:purge:svc-1:r1";

        Assert.True(await journal.RenewAsync(id, "r1", "a", T0.AddMinutes(1), T0.AddMinutes(3)));
        var kept = await journal.GetAsync(id);
        Assert.Equal((T0.AddMinutes(3), T0.AddMinutes(1), "first"), (kept!.LeaseExpiresAt, kept.UpdatedAt, kept.Data));

        Assert.True(await journal.RenewAsync(id, "r1", "a", T0.AddMinutes(2), T0.AddMinutes(4), data: "second"));
        Assert.Equal("second", (await journal.GetAsync(id))!.Data);
    }

    [Fact]
    public async Task RenewAsync_AnotherOwnerOrRunOrCompleted_ReturnsFalseAndChangesNothing()
    {
        var journal = await NewAsync();
        await journal.StartAsync(Entry("svc-1", run: "r1", owner: "a"));
        var id = "poppy:create:svc-1";

        Assert.False(await journal.RenewAsync(id, "r1", "b", T0.AddMinutes(1), T0.AddMinutes(9)));
        Assert.False(await journal.RenewAsync(id, "r0", "a", T0.AddMinutes(1), T0.AddMinutes(9)));
        Assert.False(await journal.RenewAsync("poppy:create:other", "r1", "a", T0.AddMinutes(1), T0.AddMinutes(9)));
        Assert.Equal(T0.AddMinutes(2), (await journal.GetAsync(id))!.LeaseExpiresAt);

        await journal.CompleteAsync(id, "r1", OperationJournalState.Succeeded, null, T0.AddMinutes(1));
        Assert.False(await journal.RenewAsync(id, "r1", "a", T0.AddMinutes(1), T0.AddMinutes(9)));
    }

    [Fact]
    public async Task CompleteAsync_Failed_StoresTheErrorOnceAndASecondCompletionChangesNothing()
    {
        var journal = await NewAsync();
        await journal.StartAsync(Entry("svc-1", OperationKind.Delete, run: "r1"));
        var id = "poppy:delete:svc-1";
        var error = new ProviderError("rate_limited", "Too many requests (fastly)") { HttpStatus = 429, IsTransient = true, VendorCode = "429", RequestId = "req-9" };

        Assert.True(await journal.CompleteAsync(id, "r1", OperationJournalState.Failed, error, T0.AddMinutes(3)));
        Assert.False(await journal.CompleteAsync(id, "r1", OperationJournalState.Succeeded, null, T0.AddMinutes(4)));

        var read = await journal.GetAsync(id);
        Assert.Equal((OperationJournalState.Failed, (DateTimeOffset?)T0.AddMinutes(3), T0.AddMinutes(3)), (read!.State, read.CompletedAt, read.UpdatedAt));
        Assert.Equal(error, read.Error);
    }

    [Fact]
    public async Task CompleteAsync_ByAnotherInstanceOfTheSameRun_Completes()
    {
        var journal = await NewAsync();
        await journal.StartAsync(Entry("svc-1", run: "r1", owner: "a", lease: TimeSpan.FromMinutes(1)));
        await journal.ClaimExpiredAsync("b", T0.AddMinutes(2), T0.AddMinutes(4), 10);

        Assert.True(await journal.CompleteAsync("poppy:create:svc-1", "r1", OperationJournalState.Succeeded, null, T0.AddMinutes(3)));
        var read = await journal.GetAsync("poppy:create:svc-1");
        Assert.Equal((OperationJournalState.Succeeded, "b"), (read!.State, read.Owner));
        Assert.Null(read.Error);
    }

    [Fact]
    public async Task ClaimExpiredAsync_TakesOnlyRunningEntriesWhoseLeaseEnded_OldestFirst_UpToMax()
    {
        var journal = await NewAsync();
        await journal.StartAsync(Entry("svc-live", run: "r", startedAt: T0, lease: TimeSpan.FromMinutes(30)));
        await journal.StartAsync(Entry("svc-done", run: "r", startedAt: T0, lease: TimeSpan.FromMinutes(1)));
        await journal.CompleteAsync("poppy:create:svc-done", "r", OperationJournalState.Succeeded, null, T0.AddSeconds(30));
        await journal.StartAsync(Entry("svc-3", run: "r", startedAt: T0.AddSeconds(3), lease: TimeSpan.FromMinutes(1)));
        await journal.StartAsync(Entry("svc-1", run: "r", startedAt: T0.AddSeconds(1), lease: TimeSpan.FromMinutes(1)));
        await journal.StartAsync(Entry("svc-2", run: "r", startedAt: T0.AddSeconds(2), lease: TimeSpan.FromMinutes(1)));
        var now = T0.AddMinutes(5);

        var first = await journal.ClaimExpiredAsync("b", now, now.AddMinutes(2), maxCount: 2);
        var rest = await journal.ClaimExpiredAsync("c", now, now.AddMinutes(2), maxCount: 10);

        Assert.Equal(["svc-1", "svc-2"], first.Select(e => e.ServiceId));
        Assert.All(first, e => Assert.Equal(("b", now.AddMinutes(2), 1, OperationJournalState.Running), (e.Owner, e.LeaseExpiresAt, e.Claims, e.State)));
        Assert.Equal(["svc-3"], rest.Select(e => e.ServiceId));
        Assert.Empty(await journal.ClaimExpiredAsync("d", now, now.AddMinutes(2), 10));
        var stored = await journal.GetAsync("poppy:create:svc-1");
        Assert.Equal(("b", 1, now), (stored!.Owner, stored.Claims, stored.UpdatedAt));
        Assert.Equal("a", (await journal.GetAsync("poppy:create:svc-live"))!.Owner);
    }

    [Fact]
    public async Task ClaimExpiredAsync_ConcurrentClaimersOnSeparateHandles_ClaimEachEntryExactlyOnce()
    {
        var open = await CreateStoreAsync();
        var setup = open();
        for (var i = 0; i < 60; i++)
        {
            await setup.StartAsync(Entry($"svc-{i:D2}", run: "r", startedAt: T0.AddMilliseconds(i), lease: TimeSpan.FromSeconds(10)));
        }

        var now = T0.AddMinutes(1);
        var claimers = Enumerable.Range(0, 4).Select(i => (Owner: $"instance-{i}", Journal: open())).ToList();
        var claimed = await Task.WhenAll(claimers.Select(c => Task.Run(async () =>
        {
            var mine = new List<OperationJournalEntry>();
            while (true)
            {
                var batch = await c.Journal.ClaimExpiredAsync(c.Owner, now, now.AddMinutes(5), maxCount: 7);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch);
            }
        })));

        var all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Select(e => e.OperationId).Distinct().Count());
        for (var i = 0; i < claimers.Count; i++)
        {
            foreach (var entry in claimed[i])
            {
                Assert.Equal(claimers[i].Owner, (await setup.GetAsync(entry.OperationId))!.Owner);
            }
        }
    }

    [Fact]
    public async Task ListAsync_NewestFirst_FiltersByStateAndService_AndHonoursTheLimit()
    {
        var journal = await NewAsync();
        await journal.StartAsync(Entry("svc-a", OperationKind.Create, run: "r", startedAt: T0.AddSeconds(1)));
        await journal.StartAsync(Entry("svc-b", OperationKind.Create, run: "r", startedAt: T0.AddSeconds(2)));
        await journal.StartAsync(Entry("svc-a", OperationKind.Purge, run: "p1", startedAt: T0.AddSeconds(3)));
        await journal.CompleteAsync("poppy:create:svc-a", "r", OperationJournalState.Succeeded, null, T0.AddSeconds(4));

        var all = await ToListAsync(journal.ListAsync());
        var running = await ToListAsync(journal.ListAsync(new OperationJournalQuery { State = OperationJournalState.Running }));
        var ofA = await ToListAsync(journal.ListAsync(new OperationJournalQuery { ServiceId = "svc-a" }));
        var newest = await ToListAsync(journal.ListAsync(new OperationJournalQuery { Limit = 1 }));

        Assert.Equal(["poppy:purge:svc-a:p1", "poppy:create:svc-b", "poppy:create:svc-a"], all.Select(e => e.OperationId));
        Assert.Equal(["poppy:purge:svc-a:p1", "poppy:create:svc-b"], running.Select(e => e.OperationId));
        Assert.Equal(["poppy:purge:svc-a:p1", "poppy:create:svc-a"], ofA.Select(e => e.OperationId));
        Assert.Equal(["poppy:purge:svc-a:p1"], newest.Select(e => e.OperationId));
    }

    [Fact]
    public async Task ListAsync_MoreEntriesThanOnePage_ReturnsThemAllInOrder()
    {
        var journal = await NewAsync();
        for (var i = 0; i < 250; i++)
        {
            await journal.StartAsync(Entry($"svc-{i:D3}", run: "r", startedAt: T0.AddSeconds(i / 2)));
        }

        var all = await ToListAsync(journal.ListAsync(new OperationJournalQuery { Limit = 1000 }));

        Assert.Equal(250, all.Count);
        var expected = Enumerable.Range(0, 250).Select(i => (Start: T0.AddSeconds(i / 2), Id: $"poppy:create:svc-{i:D3}"))
            .OrderByDescending(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Id);
        Assert.Equal(expected, all.Select(e => e.OperationId));
    }

    [Fact]
    public async Task PruneAsync_DeletesOnlyEntriesCompletedBeforeTheCutOff()
    {
        var journal = await NewAsync();
        await journal.StartAsync(Entry("svc-old", run: "r"));
        await journal.StartAsync(Entry("svc-new", run: "r"));
        await journal.StartAsync(Entry("svc-running", run: "r", lease: TimeSpan.FromSeconds(1)));
        await journal.CompleteAsync("poppy:create:svc-old", "r", OperationJournalState.Succeeded, null, T0.AddDays(1));
        await journal.CompleteAsync("poppy:create:svc-new", "r", OperationJournalState.Failed, new ProviderError("internal", "boom"), T0.AddDays(3));

        var pruned = await journal.PruneAsync(T0.AddDays(2));

        Assert.Equal(1, pruned);
        Assert.Null(await journal.GetAsync("poppy:create:svc-old"));
        Assert.NotNull(await journal.GetAsync("poppy:create:svc-new"));
        Assert.NotNull(await journal.GetAsync("poppy:create:svc-running"));
        Assert.Equal(0, await journal.PruneAsync(T0.AddDays(2)));
    }

    private static async Task<List<OperationJournalEntry>> ToListAsync(IAsyncEnumerable<OperationJournalEntry> entries)
    {
        var list = new List<OperationJournalEntry>();
        await foreach (var e in entries)
        {
            list.Add(e);
        }

        return list;
    }
}

/// <summary>The journal contract on the in-memory journal (a second handle is the same instance).</summary>
public sealed class InMemoryJournalContractTests : JournalContractTests
{
    protected override Task<Func<IOperationJournal>> CreateStoreAsync()
    {
        var journal = new InMemoryOperationJournal();
        return Task.FromResult<Func<IOperationJournal>>(() => journal);
    }
}
