using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Poppy.Sdk.Models;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.Cli.Tests;

/// <summary><c>poppy catalog list/export/import</c> and <c>poppy db script</c> against a real PostgreSQL server the test starts.</summary>
public sealed class PostgreSqlStateCommandsTests
{
    [Fact]
    public async Task CatalogListExportImportAndDbScript_OnARealServer()
    {
        await using var server = await PostgreSqlServer.StartAsync();
        await CatalogList_PostgreSqlUri_ListsWhatAnotherInstanceSavedAsync(server);
        await DbScript_AppliedByHand_GivesTheSchemaALibraryWithMigrationsOffAcceptsAsync(server);
        await CatalogList_DatabaseWithoutTheSchema_ExitsTwoAndLeavesItUntouchedAsync(server);
        await CatalogExportImport_SqliteToPostgreSqlAndBack_KeepsEveryServiceAsync(server);
    }

    private static async Task CatalogExportImport_SqliteToPostgreSqlAndBack_KeepsEveryServiceAsync(PostgreSqlServer server)
    {
        var folder = Directory.CreateTempSubdirectory("poppy-cli-pg-").FullName;
        try
        {
            var sqlite = Path.Combine(folder, "source.db");
            var export = Path.Combine(folder, "catalog.json");
            await CatalogTransferCommandsTests.SaveServicesAsync(sqlite);
            Assert.Equal(0, (await CliRun.RunAsync("catalog", "export", export, "--catalog", sqlite)).Code);
            var connectionString = await server.CreateDatabaseAsync();

            // Import is a write, but the schema of a database other services use is changed only when asked to.
            var refused = await CliRun.RunAsync("catalog", "import", export, "--catalog", connectionString);
            Assert.Equal((2, ""), (refused.Code, refused.Out));
            Assert.Contains("has Poppy schema version 0", refused.Err, StringComparison.Ordinal);
            Assert.Contains("pass --migrate to let the import create it", refused.Err, StringComparison.Ordinal);
            await using (var untouched = new PostgreSqlServiceCatalog(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false }))
            {
                Assert.Equal(0, await untouched.GetSchemaVersionAsync());
            }

            var imported = await CliRun.RunAsync("catalog", "import", export, "--migrate", "--catalog", connectionString);
            var again = await CliRun.RunAsync("catalog", "import", export, "--catalog", connectionString);
            var back = await CliRun.RunAsync("catalog", "export", "-", "--catalog", connectionString);

            Assert.Equal((0, ""), (imported.Code, imported.Err));
            Assert.EndsWith(": 3 imported, 0 skipped, 0 overwritten, no problems.", imported.Out.TrimEnd(), StringComparison.Ordinal);
            Assert.EndsWith(": 0 imported, 3 skipped, 0 overwritten, no problems.", again.Out.TrimEnd(), StringComparison.Ordinal);
            Assert.Equal(0, back.Code);
            using var original = JsonDocument.Parse(await File.ReadAllTextAsync(export));
            using var roundTripped = JsonDocument.Parse(back.Out);
            Assert.Equal(original.RootElement.GetProperty("services").GetRawText(), roundTripped.RootElement.GetProperty("services").GetRawText());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task CatalogList_DatabaseWithoutTheSchema_ExitsTwoAndLeavesItUntouchedAsync(PostgreSqlServer server)
    {
        var connectionString = await server.CreateDatabaseAsync();

        var result = await CliRun.RunAsync("catalog", "list", "--catalog", connectionString);

        Assert.Equal(2, result.Code);
        Assert.Contains("GetMigrationScript(0)", result.Err, StringComparison.Ordinal);
        await using var catalog = new PostgreSqlServiceCatalog(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false });
        Assert.Equal(0, await catalog.GetSchemaVersionAsync());
    }

    private static async Task CatalogList_PostgreSqlUri_ListsWhatAnotherInstanceSavedAsync(PostgreSqlServer server)
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using (var catalog = new PostgreSqlServiceCatalog(connectionString))
        {
            await catalog.SaveAsync(new CdnService
            {
                ServiceId = "svc-pg",
                Spec = new ServiceSpec { Name = "team-site", FlavorId = "global", Domains = [new DomainSpec("www.example.com")], Origins = [new OriginSpec("origin.example.net")] },
                Providers = [new ProviderServiceDetails { Provider = "cloudfront", ServiceId = "svc-pg", VendorServiceId = "E2PG", Status = ProviderStatus.Deployed }],
            });
        }

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var result = await CliRun.RunAsync("catalog", "list", "--catalog", $"postgresql://postgres@127.0.0.1:{server.Port}/{database}?sslmode=disable");

        Assert.Equal((0, ""), (result.Code, result.Err));
        Assert.Equal(
            ["svc-pg  global  deployed  cloudfront=deployed E2PG", $"1 service in the PostgreSQL database '{database}' on 127.0.0.1:{server.Port}."],
            CliRun.Lines(result.Out));
    }

    private static async Task DbScript_AppliedByHand_GivesTheSchemaALibraryWithMigrationsOffAcceptsAsync(PostgreSqlServer server)
    {
        var connectionString = await server.CreateDatabaseAsync();
        var script = await CliRun.RunAsync("db", "script", "--store", "postgresql");
        Assert.Equal(0, script.Code);

        await PostgreSqlServer.ExecuteOnAsync(connectionString, script.Out);

        await using var catalog = new PostgreSqlServiceCatalog(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false });
        Assert.Equal(PostgreSqlServiceCatalog.LatestSchemaVersion, await catalog.GetSchemaVersionAsync());
        Assert.Null(await catalog.GetAsync("svc-none"));
    }
}
