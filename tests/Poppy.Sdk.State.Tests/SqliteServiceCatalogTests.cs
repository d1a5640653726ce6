using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.State.Tests;

/// <summary>What only the SQLite store does: WAL, migrations of an old file in place, refusal of a newer one, restarts.</summary>
public sealed class SqliteServiceCatalogTests : IAsyncLifetime
{
    private readonly TempFolder _folder = TempFolder.Create();

    private string File => Path.Combine(_folder.Path, "poppy.db");

    private string ConnectionString => $"Data Source={File}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    [Fact]
    public async Task FirstUse_NewFile_CreatesTheLatestSchemaInWalMode()
    {
        var catalog = new SqliteServiceCatalog(ConnectionString);
        Assert.Equal(0, await catalog.GetSchemaVersionAsync());

        await catalog.SaveAsync(TestServices.Service("svc-1"));

        Assert.Equal(SqliteServiceCatalog.LatestSchemaVersion, await catalog.GetSchemaVersionAsync());
        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
        Assert.Equal(SqliteServiceCatalog.LatestSchemaVersion, Convert.ToInt32(Scalar("SELECT COUNT(*) FROM poppy_schema_version;"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task FirstUse_Version1File_UpgradesInPlaceAndKeepsEveryService()
    {
        // The schema exactly as version 1 shipped it, with a service written then (JSON as that version wrote it).
        Execute("""
            CREATE TABLE poppy_schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);
            INSERT INTO poppy_schema_version VALUES (1, 'services', '2026-01-01T00:00:00.0000000+00:00');
            CREATE TABLE poppy_services (
                service_id TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL, spec TEXT NOT NULL, providers TEXT NOT NULL, pending_cleanup TEXT NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO poppy_services VALUES ('svc-old', 7,
                '{"name":"old service","flavor_id":"global","domains":[{"domain":"www.example.com"}],"origins":[{"origin":"origin.example.net"}]}',
                '[{"provider":"fastly","service_id":"svc-old","vendor_service_id":"FASTLY-1","status":"deployed","access_urls":[{"domain":"www.example.com","provider_url":"x.fastly.net"}]},{"provider":"cloudfront","service_id":"svc-old","status":"create_in_progress"}]',
                '["akamai"]');
            """);
        var catalog = new SqliteServiceCatalog(ConnectionString);
        Assert.Equal(1, await catalog.GetSchemaVersionAsync());

        var read = await catalog.GetAsync("svc-old");

        Assert.Equal(SqliteServiceCatalog.LatestSchemaVersion, await catalog.GetSchemaVersionAsync());
        Assert.NotNull(read);
        Assert.Equal((7L, "old service", "www.example.com"), (read.Version, read.Spec.Name, read.Spec.Domains[0].Domain));
        Assert.Equal(["fastly", "cloudfront"], read.Providers.Select(p => p.Provider));
        Assert.Equal(("FASTLY-1", ProviderStatus.Deployed), (read.Providers[0].VendorServiceId, read.Providers[0].Status));
        Assert.Equal(["akamai"], read.PendingCleanup);
        // Version 2's look-up table was filled from the existing rows, and writes go on from the stored version.
        Assert.Equal("svc-old", (await catalog.FindByVendorServiceIdAsync("fastly", "FASTLY-1"))?.ServiceId);
        Assert.Equal(8, (await catalog.SaveAsync(read with { PendingCleanup = [] })).Version);
    }

    [Fact]
    public async Task FirstUse_Version2FileOpenedByTheJournal_AddsTheJournalInPlaceAndKeepsEveryService()
    {
        // The schema as version 2 shipped it (steps 1 and 2, before the journal), with a service and its vendor id.
        Execute("""
            CREATE TABLE poppy_schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);
            INSERT INTO poppy_schema_version VALUES (1, 'services', '2026-01-01T00:00:00.0000000+00:00');
            INSERT INTO poppy_schema_version VALUES (2, 'update time; vendor id look-up', '2026-06-01T00:00:00.0000000+00:00');
            CREATE TABLE poppy_services (
                service_id TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL, spec TEXT NOT NULL, providers TEXT NOT NULL, pending_cleanup TEXT NOT NULL,
                updated_at TEXT
            ) WITHOUT ROWID;
            CREATE TABLE poppy_provider_resources (
                service_id TEXT NOT NULL, provider TEXT NOT NULL, vendor_service_id TEXT NOT NULL, PRIMARY KEY (service_id, provider)
            ) WITHOUT ROWID;
            CREATE INDEX ix_poppy_provider_resources_vendor ON poppy_provider_resources (provider, vendor_service_id);
            INSERT INTO poppy_services VALUES ('svc-2', 3,
                '{"name":"version two","flavor_id":"global","domains":[{"domain":"www.example.com"}],"origins":[{"origin":"origin.example.net"}]}',
                '[{"provider":"cloudfront","service_id":"svc-2","vendor_service_id":"E2OLD","status":"deployed"}]',
                '[]', '2026-06-01T00:00:00.0000000+00:00');
            INSERT INTO poppy_provider_resources VALUES ('svc-2', 'cloudfront', 'E2OLD');
            """);
        var journal = new SqliteOperationJournal(ConnectionString);
        var catalog = new SqliteServiceCatalog(ConnectionString);
        Assert.Equal(2, await catalog.GetSchemaVersionAsync());

        Assert.Null(await journal.GetAsync("poppy:create:svc-2"));

        Assert.Equal(3, SqliteServiceCatalog.LatestSchemaVersion);
        Assert.Equal(3, await catalog.GetSchemaVersionAsync());
        Assert.Equal("operation journal", Scalar("SELECT description FROM poppy_schema_version WHERE version = 3;"));
        Assert.Equal(
            ["ix_poppy_operations_claim", "ix_poppy_operations_list", "ix_poppy_operations_prune", "ix_poppy_operations_service"],
            Column("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'poppy_operations' AND name LIKE 'ix_%' ORDER BY name;"));
        var at = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        await journal.StartAsync(new OperationJournalEntry
        {
            OperationId = "poppy:update:svc-2", RunId = "r1", ServiceId = "svc-2", Kind = OperationKind.Update, Owner = "a",
            StartedAt = at, UpdatedAt = at, LeaseExpiresAt = at.AddMinutes(2),
        });
        Assert.Equal("svc-2", Assert.Single(await journal.ListAsync(new OperationJournalQuery { ServiceId = "svc-2" }).ToListAsync()).ServiceId);
        var read = await catalog.GetAsync("svc-2");
        Assert.Equal((3L, "version two"), (read!.Version, read.Spec.Name));
        Assert.Equal("svc-2", (await catalog.FindByVendorServiceIdAsync("cloudfront", "E2OLD"))?.ServiceId);
        Assert.Equal(4, (await catalog.SaveAsync(read)).Version);
    }

    [Fact]
    public async Task Journal_TimesWithOffsetsAndSubMillisecondTicks_RoundTripAsTheSameInstants()
    {
        var journal = new SqliteOperationJournal(ConnectionString);
        var started = new DateTimeOffset(2026, 12, 7, 11, 30, 0, TimeSpan.FromHours(2)).AddTicks(1234567);

        await journal.StartAsync(new OperationJournalEntry
        {
            OperationId = "poppy:create:svc-t", RunId = "r1", ServiceId = "svc-t", Kind = OperationKind.Create, Owner = "a",
            StartedAt = started, UpdatedAt = started, LeaseExpiresAt = started.AddMinutes(2),
        });

        var read = await journal.GetAsync("poppy:create:svc-t");
        Assert.Equal(started, read!.StartedAt);
        Assert.Equal(started.UtcTicks, read.StartedAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.StartedAt.Offset);
        // A lease that ended one tick before "now" in another offset is expired; one ending a tick later is not.
        var now = started.AddMinutes(2).ToOffset(TimeSpan.FromHours(-5));
        Assert.Empty(await journal.ClaimExpiredAsync("b", now.AddTicks(-1), now.AddMinutes(2), 10));
        Assert.Single(await journal.ClaimExpiredAsync("b", now, now.AddMinutes(2), 10));
    }

    [Fact]
    public async Task Journal_ClaimExpiredAsync_NothingExpired_AnswersWithoutTheWriteLock()
    {
        var journal = new SqliteOperationJournal(new SqliteServiceCatalogOptions { ConnectionString = ConnectionString, BusyTimeout = TimeSpan.Zero });
        var at = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        await journal.StartAsync(new OperationJournalEntry
        {
            OperationId = "poppy:create:svc-l", RunId = "r1", ServiceId = "svc-l", Kind = OperationKind.Create, Owner = "a",
            StartedAt = at, UpdatedAt = at, LeaseExpiresAt = at.AddMinutes(2),
        });

        // Another process holds the file's write lock (say, a long save).
        using var writer = new SqliteConnection(ConnectionString);
        writer.Open();
        using var transaction = writer.BeginTransaction(deferred: false);

        Assert.Empty(await journal.ClaimExpiredAsync("b", at.AddMinutes(1), at.AddMinutes(3), 10));
        // With an expired entry the claim needs the lock, and (busy timeout zero) fails rather than waits.
        await Assert.ThrowsAsync<SqliteException>(() => journal.ClaimExpiredAsync("b", at.AddMinutes(2), at.AddMinutes(4), 10).AsTask());
        transaction.Rollback();
        Assert.Single(await journal.ClaimExpiredAsync("b", at.AddMinutes(2), at.AddMinutes(4), 10));
    }

    [Fact]
    public async Task UseSqliteCatalog_ReplacesAnEarlierJournal_WithTheJournalInTheSameFile()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IOperationJournal>(new InMemoryOperationJournal());
        services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "memory"))
            .UseSqliteCatalog(ConnectionString);
        await using var provider = services.BuildServiceProvider();

        var journal = Assert.IsType<SqliteOperationJournal>(Assert.Single(provider.GetServices<IOperationJournal>()));
        Assert.Same(journal, provider.GetRequiredService<IOperationJournal>());
        var at = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        await journal.StartAsync(new OperationJournalEntry
        {
            OperationId = "poppy:delete:svc-di", RunId = "r1", ServiceId = "svc-di", Kind = OperationKind.Delete, Owner = "a",
            StartedAt = at, UpdatedAt = at, LeaseExpiresAt = at.AddMinutes(2),
        });

        // The catalog and the journal share the file: another handle on it sees the entry.
        Assert.NotNull(await new SqliteOperationJournal(ConnectionString).GetAsync("poppy:delete:svc-di"));
        Assert.IsType<SqliteServiceCatalog>(provider.GetRequiredService<IServiceCatalog>());
        Assert.Equal(SqliteServiceCatalog.LatestSchemaVersion, await new SqliteServiceCatalog(ConnectionString).GetSchemaVersionAsync());
    }

    [Fact]
    public async Task FirstUse_NewerSchemaThanKnown_ThrowsAndChangesNothing()
    {
        Execute("""
            CREATE TABLE poppy_schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);
            INSERT INTO poppy_schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00Z');
            """);
        var catalog = new SqliteServiceCatalog(ConnectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.GetAsync("svc-1").AsTask());

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Null(Scalar("SELECT name FROM sqlite_master WHERE name = 'poppy_services';"));
    }

    [Fact]
    public async Task FindByVendorServiceIdAsync_FollowsSavesAndDeletes()
    {
        var catalog = new SqliteServiceCatalog(ConnectionString);
        var saved = await catalog.SaveAsync(TestServices.Rich("svc-1"));

        Assert.Equal("svc-1", (await catalog.FindByVendorServiceIdAsync("cloudfront", "E2QWRUHAPOMQZL"))?.ServiceId);
        Assert.Null(await catalog.FindByVendorServiceIdAsync("fastly", "E2QWRUHAPOMQZL"));

        saved = await catalog.SaveAsync(saved with { Providers = [saved.Providers[0]] });
        Assert.Null(await catalog.FindByVendorServiceIdAsync("cloudfront", "E2QWRUHAPOMQZL"));
        Assert.NotNull(await catalog.FindByVendorServiceIdAsync("fastly", "SU1Z0isxPaozGVKXdv0eY"));

        await catalog.DeleteAsync("svc-1", saved.Version);
        Assert.Null(await catalog.FindByVendorServiceIdAsync("fastly", "SU1Z0isxPaozGVKXdv0eY"));
    }

    [Fact]
    public async Task ListPageAsync_KeysetPages_CoverEveryServiceOnce()
    {
        var catalog = new SqliteServiceCatalog(ConnectionString);
        for (var i = 0; i < 5; i++)
        {
            await catalog.SaveAsync(TestServices.Service($"svc-{i}"));
        }

        var first = await catalog.ListPageAsync(null, 2);
        var second = await catalog.ListPageAsync(first[^1].ServiceId, 2);
        var last = await catalog.ListPageAsync(second[^1].ServiceId, 2);

        Assert.Equal(["svc-0", "svc-1", "svc-2", "svc-3", "svc-4"], first.Concat(second).Concat(last).Select(s => s.ServiceId));
        Assert.Single(last);
    }

    [Fact]
    public async Task UseSqliteCatalog_ClientRestarts_TheNewClientSeesWhatTheFirstProvisioned()
    {
        var vendor = new Poppy.Sdk.Testing.InMemoryCdnProvider(new Poppy.Sdk.Testing.InMemoryCdnProviderOptions { Name = "memory", DeploymentDelay = TimeSpan.Zero });
        string serviceId;
        await using (var first = Build())
        {
            var client = first.GetRequiredService<PoppyClient>();
            Assert.IsType<SqliteServiceCatalog>(first.GetRequiredService<IServiceCatalog>());
            var operation = await client.CreateServiceAsync(TestServices.Spec());
            serviceId = operation.ServiceId;
            await operation.WaitForCompletionAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var second = Build();
        var services = await second.GetRequiredService<PoppyClient>().ListServicesAsync().ToListAsync();

        var service = Assert.Single(services);
        Assert.Equal(serviceId, service.ServiceId);
        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.NotNull(Assert.Single(service.Providers).VendorServiceId);

        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "memory"))
                .AddProvider("memory", _ => vendor)
                .UseSqliteCatalog(ConnectionString);
            return services.BuildServiceProvider();
        }
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private List<string> Column(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
