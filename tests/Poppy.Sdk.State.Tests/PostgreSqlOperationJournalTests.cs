using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Testing;
using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.State.Tests;

/// <summary>What only the PostgreSQL journal does: claims under contention with SKIP LOCKED, one schema with the catalog, and its DI registration.</summary>
[Collection(PostgreSqlGroup.Name)]
public sealed class PostgreSqlOperationJournalTests(PostgreSqlFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ClaimExpiredAsync_SixInstancesWhileAnotherTransactionHoldsSomeRows_ClaimEachEntryOnceAndNeverWait()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await using var setup = new PostgreSqlOperationJournal(connectionString);
        for (var i = 0; i < 300; i++)
        {
            await setup.StartAsync(Entry($"svc-{i:D3}", T0.AddMilliseconds(i)));
        }

        // Another transaction holds row locks on five expired entries (as a claimer in the middle of its statement would).
        // A claimer that waited for a row lock would fail after lock_timeout instead of hanging; with SKIP LOCKED none waits.
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using var held = await holder.BeginTransactionAsync();
        var heldIds = new List<string>();
        await using (var lockRows = new NpgsqlCommand("SELECT operation_id FROM poppy_operations WHERE service_id IN ('svc-000', 'svc-001', 'svc-150', 'svc-298', 'svc-299') FOR UPDATE", holder, held))
        await using (var reader = await lockRows.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                heldIds.Add(reader.GetString(0));
            }
        }

        var impatient = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c lock_timeout=2000" }.ConnectionString;
        var claimers = Enumerable.Range(0, 6).Select(i => (Owner: $"instance-{i}", Journal: new PostgreSqlOperationJournal(impatient))).ToList();
        var now = T0.AddMinutes(10);
        try
        {
            var results = await Task.WhenAll(claimers.Select(c => Task.Run(async () =>
            {
                var mine = new List<OperationJournalEntry>();
                var batches = new List<int>();
                while (true)
                {
                    var batch = await c.Journal.ClaimExpiredAsync(c.Owner, now, now.AddMinutes(5), maxCount: 10);
                    if (batch.Count == 0)
                    {
                        return (Claimed: mine, Batches: batches);
                    }

                    batches.Add(batch.Count);
                    mine.AddRange(batch);
                }
            })));

            var claimed = results.SelectMany(r => r.Claimed).ToList();
            Assert.All(results.SelectMany(r => r.Batches), n => Assert.InRange(n, 1, 10));
            Assert.Equal(295, claimed.Count);
            Assert.Equal(295, claimed.Select(e => e.OperationId).Distinct().Count());
            Assert.Empty(claimed.Select(e => e.OperationId).Intersect(heldIds));
            Assert.All(claimed, e => Assert.Equal(1, e.Claims));

            await held.RollbackAsync();
            var rest = await claimers[0].Journal.ClaimExpiredAsync("instance-0", now, now.AddMinutes(5), maxCount: 10);

            Assert.Equal(heldIds.Order(StringComparer.Ordinal), rest.Select(e => e.OperationId).Order(StringComparer.Ordinal));
            Assert.Empty(await claimers[1].Journal.ClaimExpiredAsync("instance-1", now, now.AddMinutes(5), maxCount: 10));
            // The stored rows agree: each claimed once, by the instance that got it back.
            var owners = results.SelectMany((r, i) => r.Claimed.Select(e => (e.OperationId, Owner: claimers[i].Owner)))
                .Concat(rest.Select(e => (e.OperationId, Owner: "instance-0")))
                .ToDictionary(e => e.OperationId, e => e.Owner, StringComparer.Ordinal);
            var stored = new List<OperationJournalEntry>();
            await foreach (var entry in setup.ListAsync(new OperationJournalQuery { Limit = 1000 }))
            {
                stored.Add(entry);
            }

            Assert.Equal(300, stored.Count);
            Assert.All(stored, e => Assert.Equal((owners[e.OperationId], 1), (e.Owner, e.Claims)));
        }
        finally
        {
            foreach (var (_, journal) in claimers)
            {
                await journal.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StartAsync_OnAVersion2Catalog_UpgradesInPlaceAndTheCatalogKeepsItsServices()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgreSqlServer.ExecuteOnAsync(connectionString, PostgreSqlServiceCatalog.GetMigrationScript().Split("-- 3:")[0] + "COMMIT;");
        await using (var catalogAtVersion2 = new PostgreSqlServiceCatalog(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false }))
        {
            Assert.Equal(2, await catalogAtVersion2.GetSchemaVersionAsync());
            await PostgreSqlServer.ExecuteOnAsync(connectionString, """
                INSERT INTO poppy_services VALUES ('svc-old', 3, '{"name":"old","flavor_id":"global","domains":[{"domain":"www.example.com"}],"origins":[{"origin":"origin.example.net"}]}', '[]', '[]', now());
                """);
        }

        await using var journal = new PostgreSqlOperationJournal(connectionString);
        await journal.StartAsync(Entry("svc-old", T0));
        await using var catalog = new PostgreSqlServiceCatalog(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false });

        Assert.Equal(3, await catalog.GetSchemaVersionAsync());
        Assert.Equal(3L, (await catalog.GetAsync("svc-old"))?.Version);
        Assert.Equal("svc-old", (await journal.GetAsync("poppy:create:svc-old"))?.ServiceId);
    }

    [Fact]
    public async Task FirstUse_MigrationsOffOnAnOlderSchema_RefusesWithTheScriptToApply()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgreSqlServer.ExecuteOnAsync(connectionString, PostgreSqlServiceCatalog.GetMigrationScript().Split("-- 3:")[0] + "COMMIT;");
        await using var journal = new PostgreSqlOperationJournal(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => journal.GetAsync("poppy:create:svc-1").AsTask());

        Assert.Contains("GetMigrationScript(2)", refused.Message, StringComparison.Ordinal);
        await PostgreSqlServer.ExecuteOnAsync(connectionString, PostgreSqlServiceCatalog.GetMigrationScript(2));
        Assert.Null(await journal.GetAsync("poppy:create:svc-1"));
    }

    [Fact]
    public async Task UsePostgreSqlCatalog_ConnectionString_RegistersTheJournalOnTheCatalogsOneOwnedDataSource()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IOperationJournal>(new InMemoryOperationJournal());
        services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "memory"))
            .AddInMemoryProvider("memory")
            .UsePostgreSqlCatalog(connectionString);
        var sp = services.BuildServiceProvider();

        var journal = Assert.IsType<PostgreSqlOperationJournal>(Assert.Single(sp.GetServices<IOperationJournal>()));
        var catalog = Assert.IsType<PostgreSqlServiceCatalog>(sp.GetRequiredService<IServiceCatalog>());
        Assert.Same(catalog.DataSource, journal.DataSource);
        await journal.StartAsync(Entry("svc-1", T0));
        await catalog.SaveAsync(TestServices.Service("svc-1"));
        Assert.NotNull(await journal.GetAsync("poppy:create:svc-1"));

        sp.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => journal.GetAsync("poppy:create:svc-1").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => catalog.GetAsync("svc-1").AsTask());
    }

    [Fact]
    public async Task UsePostgreSqlCatalog_DataSourceCalledAfterAConnectionString_SharesTheApplicationsDataSourceAndLeavesItOpen()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var services = new ServiceCollection();
        services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "memory"))
            .AddInMemoryProvider("memory")
            .UsePostgreSqlCatalog(connectionString)
            .UsePostgreSqlCatalog(dataSource);
        await using (var sp = services.BuildServiceProvider())
        {
            var journal = Assert.IsType<PostgreSqlOperationJournal>(sp.GetRequiredService<IOperationJournal>());
            Assert.Same(dataSource, journal.DataSource);
            Assert.Same(dataSource, sp.GetRequiredService<PostgreSqlServiceCatalog>().DataSource);
            for (var i = 0; i < 5; i++)
            {
                await journal.StartAsync(Entry($"svc-{i}", T0.AddSeconds(i)));
            }
        }

        await using var command = dataSource.CreateCommand("SELECT count(*) FROM poppy_operations");
        Assert.Equal(5L, await command.ExecuteScalarAsync());
    }

    private static OperationJournalEntry Entry(string serviceId, DateTimeOffset startedAt) => new()
    {
        OperationId = $"poppy:create:{serviceId}",
        RunId = "r1",
        ServiceId = serviceId,
        Kind = OperationKind.Create,
        Owner = "crashed-instance",
        StartedAt = startedAt,
        UpdatedAt = startedAt,
        LeaseExpiresAt = startedAt.AddMinutes(2),
    };
}
