using Poppy.Sdk.Journal;
using Poppy.Sdk.Models;
using Poppy.Sdk.Testing;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Tests;

/// <summary>
/// The operation journal through the client: every started operation journaled before the first vendor call, its
/// outcome recorded, and an operation whose instance stopped taken over by another instance (sharing the vendors,
/// the catalog and the journal) and finished exactly once.
/// </summary>
public sealed class JournalTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly TimerAwareTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCdnProvider _a;
    private readonly InMemoryCdnProvider _b;
    private readonly InMemoryServiceCatalog _catalog = new();
    private readonly InMemoryOperationJournal _journal = new();
    private readonly List<PoppyClient> _clients = [];

    public JournalTests()
    {
        _a = Provider("a");
        _b = Provider("b");
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private InMemoryCdnProvider Provider(string name) => new(new InMemoryCdnProviderOptions
    {
        Name = name,
        DeploymentDelay = TimeSpan.FromMinutes(5),
        TimeProvider = _time,
        Capabilities = Fixture.Default,
    });

    /// <summary>One client instance: the same vendors, catalog and journal as every other instance of the test.</summary>
    private PoppyClient Instance(string id, IOperationJournal? journal = null, Action<OperationJournalOptions>? configure = null)
    {
        var options = new PoppyClientOptions()
            .AddFlavor("mirror", FlavorMode.Mirror, "a", "b")
            .AddFlavor("failover", FlavorMode.Failover, "a", "b");
        options.Journal.InstanceId = id;
        options.Journal.LeaseDuration = Lease;
        options.Journal.RecoveryInterval = TimeSpan.FromSeconds(20);
        options.Journal.Retention = TimeSpan.FromDays(1);
        configure?.Invoke(options.Journal);
        var client = new PoppyClient([_a, _b], options, _catalog, _time, journal: journal ?? _journal);
        _clients.Add(client);
        return client;
    }

    private async Task<T> CompleteAsync<T>(CdnOperation<T> operation)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await operation.UpdateStatusAsync())
            {
                return operation.Value;
            }

            _time.Advance(TimeSpan.FromSeconds(30));
        }

        throw new Xunit.Sdk.XunitException($"Operation {operation.Id} did not complete.");
    }

    [Fact]
    public async Task CreateServiceAsync_WithAJournal_JournalsTheRunBeforeTheVendorCall_AndRecordsItsSuccess()
    {
        var client = Instance("instance-1");

        var operation = await client.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1");
        var running = await client.GetOperationAsync(operation.Id);

        Assert.NotNull(running);
        Assert.Equal(("poppy:create:svc-1", "svc-1", OperationKind.Create, OperationJournalState.Running, "instance-1"), (running.OperationId, running.ServiceId, running.Kind, running.State, running.Owner));
        Assert.Equal(_time.GetUtcNow() + Lease, running.LeaseExpiresAt);

        await CompleteAsync(operation);

        var done = await client.GetOperationAsync(operation.Id);
        Assert.Equal(OperationJournalState.Succeeded, done!.State);
        Assert.Equal(_time.GetUtcNow(), done.CompletedAt);
        Assert.Equal(0, done.Claims);
    }

    [Fact]
    public async Task StartAsync_JournalUnavailable_ThrowsBeforeAnyVendorCall()
    {
        var client = Instance("instance-1", new FailingJournal());

        await Assert.ThrowsAsync<IOException>(() => client.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1"));

        Assert.Empty(_a.Calls);
        Assert.Empty(_b.Calls);
    }

    [Fact]
    public async Task CreateServiceAsync_EveryProviderRefusesTheStart_RecordsTheFailureWithItsError()
    {
        var client = Instance("instance-1");
        _a.Faults.FailNext(1, transient: false, status: 403, operation: "create");
        _b.Faults.FailNext(1, transient: false, status: 403, operation: "create");

        await Assert.ThrowsAsync<CdnAllProvidersFailedException>(() => client.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1"));

        var entry = await client.GetOperationAsync("poppy:create:svc-1");
        Assert.Equal(OperationJournalState.Failed, entry!.State);
        Assert.NotNull(entry.Error);
    }

    [Fact]
    public async Task RecoverExpiredOperationsAsync_OwnerStoppedMidDeployment_AnotherInstanceFinishesItOnce()
    {
        var first = Instance("instance-1");
        var operation = await first.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1");
        first.Dispose(); // the host stops: nobody polls the deployment any more

        var second = Instance("instance-2");
        var third = Instance("instance-3");
        Assert.Empty(await second.RecoverExpiredOperationsAsync()); // the lease still holds
        _time.Advance(Lease);

        var taken = await Task.WhenAll(second.RecoverExpiredOperationsAsync(), third.RecoverExpiredOperationsAsync());

        var resumed = Assert.Single(taken.SelectMany(t => t));
        Assert.Equal(operation.Id, resumed.Id);
        var winner = taken[0].Count == 1 ? "instance-2" : "instance-3";
        Assert.Equal((winner, 1), ((await _journal.GetAsync(operation.Id))!.Owner, (await _journal.GetAsync(operation.Id))!.Claims));
        await CompleteAsync((CdnOperation<CdnService>)resumed);

        var entry = await _journal.GetAsync(operation.Id);
        Assert.Equal(OperationJournalState.Succeeded, entry!.State);
        Assert.Equal(ProviderStatus.Deployed, (await _catalog.GetAsync("svc-1"))!.Status);
        Assert.Single(_a.Services);
        Assert.Single(_b.Services);
        Assert.Equal(1, _a.CallCount("create"));
        Assert.Equal(1, _b.CallCount("create"));
    }

    [Fact]
    public async Task RecoverExpiredOperationsAsync_StoppedBeforeAProviderWasReached_StartsItThereWithoutDuplicating()
    {
        // The journal holds the run, the catalog holds the service, and provider b never heard of it (the instance
        // stopped between the journal write and b's create).
        var first = Instance("instance-1");
        await _journal.StartAsync(new OperationJournalEntry
        {
            OperationId = "poppy:create:svc-1",
            RunId = "r1",
            ServiceId = "svc-1",
            Kind = OperationKind.Create,
            Owner = "instance-1",
            StartedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
            LeaseExpiresAt = _time.GetUtcNow() + Lease,
        });
        await _catalog.SaveAsync(new CdnService { ServiceId = "svc-1", Spec = first.Validate(TestSpecs.Basic("mirror")).Normalized! });
        var stamped = await _a.CreateServiceAsync("svc-1", first.Validate(TestSpecs.Basic("mirror")).Normalized!); // a made it before the stop
        first.Dispose();
        _time.Advance(Lease);

        var second = Instance("instance-2");
        var resumed = Assert.Single(await second.RecoverExpiredOperationsAsync());
        await CompleteAsync((CdnOperation<CdnService>)resumed);

        Assert.Single(_a.Services);
        Assert.Single(_b.Services);
        var service = await _catalog.GetAsync("svc-1");
        Assert.Equal(["a", "b"], service!.Providers.Select(p => p.Provider));
        Assert.All(service.Providers, p => Assert.Equal(ProviderStatus.Deployed, p.Status));
        Assert.Equal(OperationJournalState.Succeeded, (await _journal.GetAsync("poppy:create:svc-1"))!.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RecoverExpiredOperationsAsync_UpdateStoppedBeforeAnyVendorCall_SendsTheJournaledSpecToEveryProvider(bool specSaved)
    {
        // The owner journaled the update, then stopped before (or just after) saving the new spec, and before any
        // vendor heard of it: every provider record still shows the old spec deployed, with nothing in flight.
        var first = Instance("instance-1");
        await CompleteAsync(await first.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1"));
        var updated = first.Validate(TestSpecs.Basic("mirror", domain: "new.example.com")).Normalized!;
        await JournalRunAsync("poppy:update:svc-1", OperationKind.Update, updated);
        if (specSaved)
        {
            var saved = (await _catalog.GetAsync("svc-1"))!;
            await _catalog.SaveAsync(saved with { Spec = updated });
        }

        first.Dispose();
        _time.Advance(Lease);

        var second = Instance("instance-2");
        var resumed = Assert.Single(await second.RecoverExpiredOperationsAsync());
        await CompleteAsync((CdnOperation<CdnService>)resumed);

        Assert.Equal((1, 1), (_a.CallCount("update"), _b.CallCount("update")));
        Assert.All(new[] { _a, _b }, provider => Assert.Empty(ServiceSpecComparer.Compare(updated, provider.Services.Single().Spec)));

        Assert.Empty(ServiceSpecComparer.Compare(updated, (await _catalog.GetAsync("svc-1"))!.Spec));
        Assert.Equal(OperationJournalState.Succeeded, (await _journal.GetAsync("poppy:update:svc-1"))!.State);
    }

    [Fact]
    public async Task RecoverExpiredOperationsAsync_StoppedAfterEveryProviderDeployed_SendsNothingAgain()
    {
        // Every vendor finished and the catalog recorded it, but the owner stopped before recording the outcome.
        var first = Instance("instance-1");
        var spec = first.Validate(TestSpecs.Basic("mirror")).Normalized!;
        await CompleteAsync(await first.CreateServiceAsync(spec, "svc-1"));
        await JournalRunAsync("poppy:create:svc-1", OperationKind.Create, spec);
        first.Dispose();
        _time.Advance(Lease);

        var second = Instance("instance-2");
        var resumed = Assert.Single(await second.RecoverExpiredOperationsAsync());
        var service = await CompleteAsync((CdnOperation<CdnService>)resumed);

        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Equal((1, 1, 0, 0), (_a.CallCount("create"), _b.CallCount("create"), _a.CallCount("update"), _b.CallCount("update")));
        Assert.Equal(OperationJournalState.Succeeded, (await _journal.GetAsync("poppy:create:svc-1"))!.State);
    }

    /// <summary>Journals a running create or update of svc-1 by instance-1, with its spec, as the client does before its first vendor call.</summary>
    private async Task JournalRunAsync(string operationId, OperationKind kind, ServiceSpec spec) => await _journal.StartAsync(new OperationJournalEntry
    {
        OperationId = operationId,
        RunId = "r-" + operationId,
        ServiceId = "svc-1",
        Kind = kind,
        Owner = "instance-1",
        StartedAt = _time.GetUtcNow(),
        UpdatedAt = _time.GetUtcNow(),
        LeaseExpiresAt = _time.GetUtcNow() + Lease,
        Data = ServiceJournalData.Write(spec),
    });

    [Fact]
    public async Task RecoverExpiredOperationsAsync_AbandonedDelete_IsFinishedAndTheServiceRemoved()
    {
        var first = Instance("instance-1");
        await CompleteAsync(await first.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1"));
        var delete = await first.DeleteServiceAsync("svc-1");
        first.Dispose();
        _time.Advance(Lease);

        var second = Instance("instance-2");
        var resumed = Assert.Single(await second.RecoverExpiredOperationsAsync());
        Assert.Equal(delete.Id, resumed.Id);
        await CompleteAsync((CdnOperation<ServiceDeletion>)resumed);

        Assert.Empty(_a.Services);
        Assert.Empty(_b.Services);
        Assert.Null(await _catalog.GetAsync("svc-1"));
        Assert.Equal(OperationJournalState.Succeeded, (await _journal.GetAsync(delete.Id))!.State);
    }

    [Fact]
    public async Task RecoverExpiredOperationsAsync_AbandonedPurge_IsResentUnderTheSamePurgeIdByTheOtherInstance()
    {
        var first = Instance("instance-1");
        await CompleteAsync(await first.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1"));
        _a.Faults.FailNext(1, transient: true, status: 503, operation: "purge"); // a's batch is queued for a retry
        var purge = await first.StartPurgeAsync("svc-1", PurgeRequest.ForUrls("https://www.example.com/a", "https://www.example.com/b"));
        Assert.False(purge.HasCompleted);
        first.Dispose();
        _time.Advance(Lease);

        var second = Instance("instance-2");
        var resumed = Assert.Single(await second.RecoverExpiredOperationsAsync());
        Assert.Equal(purge.Id, resumed.Id);
        var report = await CompleteAsync((CdnOperation<PurgeReport>)resumed);

        Assert.True(report.IsSuccess, string.Join("; ", report.Providers.SelectMany(p => p.Failed).Select(f => f.Error.Message)));
        Assert.Equal(["a", "b"], report.Providers.Select(p => p.Provider));
        Assert.Contains(_a.Purges, p => p.Request.Items.SequenceEqual(["https://www.example.com/a", "https://www.example.com/b"]));
        var entry = await _journal.GetAsync(purge.Id);
        Assert.Equal((OperationJournalState.Succeeded, "instance-2"), (entry!.State, entry.Owner));
    }

    [Fact]
    public async Task Polling_RenewsTheLease_SoALiveOwnerIsNeverTakenOver()
    {
        var first = Instance("instance-1");
        var operation = await first.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1");
        var second = Instance("instance-2");

        for (var i = 0; i < 8; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(50));
            await operation.UpdateStatusAsync();
            Assert.Empty(await second.RecoverExpiredOperationsAsync());
        }

        Assert.True(operation.HasCompleted);
        Assert.Equal(("instance-1", OperationJournalState.Succeeded), ((await _journal.GetAsync(operation.Id))!.Owner, (await _journal.GetAsync(operation.Id))!.State));
    }

    [Fact]
    public async Task Polling_LessOftenThanALease_StillKeepsTheLeaseBetweenPolls()
    {
        // The caller polls every 170 s (a vendor's long poll interval) with a 120-s lease; the owner's recovery
        // service renews every 10 s. A run left out of the renewals once (more than a lease without a poll) must be
        // renewed again after its next poll, or its lease lapses before the poll after and another instance takes it.
        var first = Instance("instance-1");
        var operation = await first.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1");
        var second = Instance("instance-2");

        for (var step = 1; step <= 34 && !operation.HasCompleted; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await first.RenewLeasesAsync(default);
            if (step % 17 == 0)
            {
                await operation.UpdateStatusAsync();
            }

            Assert.Empty(await second.RecoverExpiredOperationsAsync());
        }

        Assert.True(operation.HasCompleted);
        var entry = await _journal.GetAsync(operation.Id);
        Assert.Equal(("instance-1", OperationJournalState.Succeeded, 0), (entry!.Owner, entry.State, entry.Claims));
    }

    [Fact]
    public async Task WaitForOperationAsync_FromAnotherInstance_ReturnsOnceTheOwnerFinishes()
    {
        var first = Instance("instance-1");
        var operation = await first.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-1");
        var observer = Instance("observer");

        var wait = observer.WaitForOperationAsync(operation.Id, TimeSpan.FromSeconds(10));
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(10));
        Assert.False(wait.IsCompleted);
        await CompleteAsync(operation);
        _time.Advance(TimeSpan.FromSeconds(10));
        var entry = await wait;

        Assert.Equal(OperationJournalState.Succeeded, entry.State);
        await Assert.ThrowsAsync<ArgumentException>(() => observer.WaitForOperationAsync("poppy:create:unknown"));
    }

    [Fact]
    public async Task RecoverExpiredOperationsAsync_TakenOverTooOften_GivesUpAndRecordsAFailure()
    {
        var client = Instance("instance-1", configure: o => o.MaxTakeovers = 1);
        await _journal.StartAsync(new OperationJournalEntry
        {
            OperationId = "poppy:purge:svc-1:0193",
            RunId = "r1",
            ServiceId = "svc-1",
            Kind = OperationKind.Purge,
            Owner = "gone",
            StartedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
            LeaseExpiresAt = _time.GetUtcNow(),
            Claims = 1,
            Data = "{}",
        });

        Assert.Empty(await client.RecoverExpiredOperationsAsync());

        var entry = await _journal.GetAsync("poppy:purge:svc-1:0193");
        Assert.Equal(OperationJournalState.Failed, entry!.State);
        Assert.Contains("taken over 1 times", entry.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperationRecoveryService_RunOnce_DrivesTakenOverOperationsAndPrunesOldEntries()
    {
        var first = Instance("instance-1");
        var old = await first.CreateServiceAsync(TestSpecs.Basic("mirror"), "svc-old");
        await CompleteAsync(old);
        var operation = await first.UpdateServiceAsync("svc-old", TestSpecs.Basic("mirror") with { }, default);
        first.Dispose();
        _time.Advance(TimeSpan.FromDays(2));

        var second = Instance("instance-2");
        using var service = new OperationRecoveryService(second, _time);
        var taken = Assert.Single(await service.RunOnceAsync());
        Assert.Null(await _journal.GetAsync(old.Id)); // completed two days ago: pruned
        await CompleteAsync((CdnOperation<CdnService>)taken);

        Assert.Equal(OperationJournalState.Succeeded, (await _journal.GetAsync(operation.Id))!.State);
    }

    /// <summary>A journal whose store is down.</summary>
    private sealed class FailingJournal : IOperationJournal
    {
        public ValueTask StartAsync(OperationJournalEntry entry, CancellationToken cancellationToken = default) => throw new IOException("journal store unreachable");

        public ValueTask<OperationJournalEntry?> GetAsync(string operationId, CancellationToken cancellationToken = default) => throw new IOException("journal store unreachable");

        public ValueTask<bool> RenewAsync(string operationId, string runId, string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, string? data = null, CancellationToken cancellationToken = default) => throw new IOException("journal store unreachable");

        public ValueTask<bool> CompleteAsync(string operationId, string runId, OperationJournalState outcome, ProviderError? error, DateTimeOffset completedAt, CancellationToken cancellationToken = default) => throw new IOException("journal store unreachable");

        public ValueTask<IReadOnlyList<OperationJournalEntry>> ClaimExpiredAsync(string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, int maxCount, CancellationToken cancellationToken = default) => throw new IOException("journal store unreachable");

        public IAsyncEnumerable<OperationJournalEntry> ListAsync(OperationJournalQuery? query = null, CancellationToken cancellationToken = default) => throw new IOException("journal store unreachable");

        public ValueTask<int> PruneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) => throw new IOException("journal store unreachable");
    }
}
