using System.Text.Json;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.State.Tests;

/// <summary>A catalog moved through every store and the export document: in memory → JSON → SQLite → JSON → PostgreSQL.</summary>
[Collection(PostgreSqlGroup.Name)]
public sealed class CatalogTransferRoundTripTests(PostgreSqlFixture fixture) : IAsyncLifetime
{
    private readonly TempFolder _folder = TempFolder.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task ExportImport_InMemoryToSqliteToPostgreSql_PreservesEveryField()
    {
        var services = new[]
        {
            TestServices.Rich("svc-a"),
            TestServices.Rich("svc-b") with { PendingCleanup = [] },
            TestServices.Service("svc-c"),
        };
        var memory = await CatalogTransferTests.InMemoryAsync(services);
        var sqlite = new SqliteServiceCatalog("Data Source=" + Path.Combine(_folder.Path, "moved.db"));
        await using var postgres = new PostgreSqlServiceCatalog(await fixture.Server.CreateDatabaseAsync());

        var (fromMemory, exported) = await CatalogTransferTests.ExportAsync(memory);
        var intoSqlite = await CatalogTransfer.ImportAsync(sqlite, CatalogTransferTests.Utf8(fromMemory));
        var (fromSqlite, _) = await CatalogTransferTests.ExportAsync(sqlite);
        var intoPostgres = await CatalogTransfer.ImportAsync(postgres, CatalogTransferTests.Utf8(fromSqlite));
        var (fromPostgres, _) = await CatalogTransferTests.ExportAsync(postgres);

        Assert.Equal(3, exported.ServiceCount);
        Assert.Equal((3, 0, 0, 0), (intoSqlite.Imported, intoSqlite.Skipped, intoSqlite.Overwritten, intoSqlite.Problems.Count));
        Assert.Equal((3, 0, 0, 0), (intoPostgres.Imported, intoPostgres.Skipped, intoPostgres.Overwritten, intoPostgres.Problems.Count));
        // Each store holds every field as the source did (the catalog's own JSON form of the whole record, version included:
        // a new entry is version 1 everywhere), and the documents written from each are the same bytes.
        foreach (var service in services)
        {
            var expected = Json(service with { Version = 1 });
            Assert.Equal(expected, Json((await sqlite.GetAsync(service.ServiceId))!));
            Assert.Equal(expected, Json((await postgres.GetAsync(service.ServiceId))!));
        }

        Assert.Equal(fromMemory, fromSqlite);
        Assert.Equal(fromMemory, fromPostgres);
        Assert.Contains("rich \\u0022quoted\\u0022 \\u00FCn\\u00EFcode service", fromMemory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyAsync_SqliteToPostgreSql_PreservesEveryField()
    {
        var sqlite = new SqliteServiceCatalog("Data Source=" + Path.Combine(_folder.Path, "source.db"));
        await sqlite.SaveAsync(TestServices.Rich("svc-a"));
        await sqlite.SaveAsync(TestServices.Service("svc-b"));
        await using var postgres = new PostgreSqlServiceCatalog(await fixture.Server.CreateDatabaseAsync());

        var report = await CatalogTransfer.CopyAsync(sqlite, postgres);

        Assert.Equal((2, true), (report.Imported, report.IsComplete));
        Assert.Equal(Json(TestServices.Rich("svc-a") with { Version = 1 }), Json((await postgres.GetAsync("svc-a"))!));
    }

    private static string Json(CdnService service) => JsonSerializer.Serialize(service, PoppyJsonContext.Default.CdnService);
}
