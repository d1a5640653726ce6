using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Testing;
using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.State.Tests;

/// <summary>What only the PostgreSQL store does: migrations behind the advisory lock, the DBA script, JSONB look-ups.</summary>
[Collection(PostgreSqlGroup.Name)]
public sealed class PostgreSqlServiceCatalogTests(PostgreSqlFixture fixture)
{
    private const string Version1Schema = """
        CREATE TABLE poppy_schema_version (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO poppy_schema_version (version, description) VALUES (1, 'services');
        CREATE TABLE poppy_services (
            service_id text COLLATE "C" NOT NULL PRIMARY KEY, version bigint NOT NULL, spec jsonb NOT NULL, providers jsonb NOT NULL, pending_cleanup jsonb NOT NULL
        );
        """;

    [Fact]
    public async Task FirstUse_Version1Database_UpgradesInPlaceAndKeepsEveryService()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgreSqlServer.ExecuteOnAsync(connectionString, Version1Schema + """
            INSERT INTO poppy_services VALUES ('svc-old', 7,
                '{"name":"old service","flavor_id":"global","domains":[{"domain":"www.example.com"}],"origins":[{"origin":"origin.example.net"}]}',
                '[{"provider":"fastly","service_id":"svc-old","vendor_service_id":"FASTLY-1","status":"deployed","access_urls":[{"domain":"www.example.com","provider_url":"x.fastly.net"}]},{"provider":"cloudfront","service_id":"svc-old","status":"create_in_progress"}]',
                '["akamai"]');
            """);
        await using var catalog = new PostgreSqlServiceCatalog(connectionString);
        Assert.Equal(1, await catalog.GetSchemaVersionAsync());

        var read = await catalog.GetAsync("svc-old");

        Assert.Equal(PostgreSqlServiceCatalog.LatestSchemaVersion, await catalog.GetSchemaVersionAsync());
        Assert.NotNull(read);
        Assert.Equal((7L, "old service", "www.example.com"), (read.Version, read.Spec.Name, read.Spec.Domains[0].Domain));
        Assert.Equal(["fastly", "cloudfront"], read.Providers.Select(p => p.Provider));
        Assert.Equal(("FASTLY-1", ProviderStatus.Deployed), (read.Providers[0].VendorServiceId, read.Providers[0].Status));
        Assert.Equal(["akamai"], read.PendingCleanup);
        Assert.Equal("svc-old", (await catalog.FindByVendorServiceIdAsync("fastly", "FASTLY-1"))?.ServiceId);
        Assert.Equal(8, (await catalog.SaveAsync(read with { PendingCleanup = [] })).Version);
        await using var journal = new PostgreSqlOperationJournal(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false });
        Assert.Empty(await journal.ClaimExpiredAsync("b", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 10));
    }

    [Fact]
    public async Task FirstUse_ManyInstancesStartingTogether_ApplyEachMigrationOnce()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        // Three catalogs and three journals: both kinds of store run the same steps behind the same lock.
        var catalogs = Enumerable.Range(0, 3).Select(_ => new PostgreSqlServiceCatalog(connectionString)).ToList();
        var journals = Enumerable.Range(0, 3).Select(_ => new PostgreSqlOperationJournal(connectionString)).ToList();
        try
        {
            var firstUses = catalogs.Select(c => Task.Run(async () => (await c.GetAsync("svc-1"))?.ServiceId))
                .Concat(journals.Select(j => Task.Run(async () => (await j.GetAsync("poppy:create:svc-1"))?.ServiceId)));
            var found = await Task.WhenAll(firstUses);

            Assert.All(found, Assert.Null);
            Assert.Equal(PostgreSqlServiceCatalog.LatestSchemaVersion, await catalogs[0].GetSchemaVersionAsync());
            Assert.Equal(Enumerable.Range(1, PostgreSqlServiceCatalog.LatestSchemaVersion), await AppliedVersionsAsync(connectionString));
        }
        finally
        {
            foreach (var catalog in catalogs)
            {
                await catalog.DisposeAsync();
            }

            foreach (var journal in journals)
            {
                await journal.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task GetMigrationScript_AppliedByADba_ThenAStoreWithMigrationsOffUsesIt()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await using var strict = new PostgreSqlServiceCatalog(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => strict.GetAsync("svc-1").AsTask());
        Assert.Contains("GetMigrationScript(0)", refused.Message, StringComparison.Ordinal);

        await PostgreSqlServer.ExecuteOnAsync(connectionString, PostgreSqlServiceCatalog.GetMigrationScript());
        await strict.SaveAsync(TestServices.Rich("svc-1"));

        Assert.Equal(Enumerable.Range(1, PostgreSqlServiceCatalog.LatestSchemaVersion), await AppliedVersionsAsync(connectionString));
        Assert.Equal("svc-1", (await strict.FindByVendorServiceIdAsync("fastly", "SU1Z0isxPaozGVKXdv0eY"))?.ServiceId);
    }

    [Fact]
    public async Task GetMigrationScript_FromVersion1_UpgradesAVersion1DatabaseAndRunsTwiceWithoutHarm()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgreSqlServer.ExecuteOnAsync(connectionString, Version1Schema);
        var script = PostgreSqlServiceCatalog.GetMigrationScript(1);

        await PostgreSqlServer.ExecuteOnAsync(connectionString, script);
        // A second run fails inside its transaction (the step is already there) and changes nothing.
        await Assert.ThrowsAsync<PostgresException>(() => PostgreSqlServer.ExecuteOnAsync(connectionString, script));

        Assert.DoesNotContain("CREATE TABLE poppy_services", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE poppy_operations", script, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, PostgreSqlServiceCatalog.LatestSchemaVersion), await AppliedVersionsAsync(connectionString));
    }

    [Fact]
    public async Task FirstUse_NewerSchemaThanKnown_Throws()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgreSqlServer.ExecuteOnAsync(connectionString, Version1Schema + "INSERT INTO poppy_schema_version (version, description) VALUES (99, 'from the future');");
        await using var catalog = new PostgreSqlServiceCatalog(connectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.GetAsync("svc-1").AsTask());

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindByVendorServiceIdAsync_MatchesProviderAndVendorIdTogether_AndIgnoresSpecialCharacters()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await using var catalog = new PostgreSqlServiceCatalog(connectionString);
        await catalog.SaveAsync(TestServices.Rich("svc-1"));
        var quoted = TestServices.Service("svc-2") with
        {
            Providers = [new ProviderServiceDetails { Provider = "fastly", ServiceId = "svc-2", VendorServiceId = "a\"b\\c'd", Status = ProviderStatus.Deployed }],
        };
        await catalog.SaveAsync(quoted);

        Assert.Equal("svc-1", (await catalog.FindByVendorServiceIdAsync("cloudfront", "E2QWRUHAPOMQZL"))?.ServiceId);
        Assert.Null(await catalog.FindByVendorServiceIdAsync("fastly", "E2QWRUHAPOMQZL"));
        Assert.Equal("svc-2", (await catalog.FindByVendorServiceIdAsync("fastly", "a\"b\\c'd"))?.ServiceId);
    }

    [Fact]
    public async Task UsePostgreSqlCatalog_TwoInstances_TheSecondSeesWhatTheFirstProvisioned()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        var vendor = new Poppy.Sdk.Testing.InMemoryCdnProvider(new Poppy.Sdk.Testing.InMemoryCdnProviderOptions { Name = "memory", DeploymentDelay = TimeSpan.Zero });
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var first = Build(b => b.UsePostgreSqlCatalog(connectionString));
        await using var second = Build(b => b.UsePostgreSqlCatalog(dataSource));

        var operation = await first.GetRequiredService<PoppyClient>().CreateServiceAsync(TestServices.Spec());
        await operation.WaitForCompletionAsync();
        var seen = await second.GetRequiredService<PoppyClient>().GetServiceAsync(operation.ServiceId);

        Assert.IsType<PostgreSqlServiceCatalog>(second.GetRequiredService<IServiceCatalog>());
        Assert.NotNull(seen);
        Assert.Equal(ProviderStatus.Deployed, seen.Status);
        Assert.NotNull(Assert.Single(seen.Providers).VendorServiceId);

        ServiceProvider Build(Action<IPoppyBuilder> store)
        {
            var services = new ServiceCollection();
            var builder = services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "memory")).AddProvider("memory", _ => vendor);
            store(builder);
            return services.BuildServiceProvider();
        }
    }

    [Fact]
    public async Task UsePostgreSqlCatalog_ContainerDisposedSynchronously_DisposesTheOwnedDataSource()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "memory"))
            .AddInMemoryProvider("memory")
            .UsePostgreSqlCatalog(connectionString);
        var sp = services.BuildServiceProvider();
        var catalog = sp.GetRequiredService<IServiceCatalog>();
        await catalog.SaveAsync(TestServices.Service("svc-1"));

        sp.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => catalog.GetAsync("svc-1").AsTask());
    }

    private static async Task<List<int>> AppliedVersionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM poppy_schema_version ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
