using Npgsql;
using Poppy.Sdk.Models;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.Cli.Tests;

/// <summary><c>poppy catalog list</c> and <c>poppy db script</c> against a real PostgreSQL server the test starts.</summary>
public sealed class PostgreSqlStateCommandsTests
{
    [Fact]
    public async Task CatalogListAndDbScript_OnARealServer()
    {
        await using var server = await PostgreSqlServer.StartAsync();
        await CatalogList_PostgreSqlUri_ListsWhatAnotherInstanceSavedAsync(server);
        await DbScript_AppliedByHand_GivesTheSchemaALibraryWithMigrationsOffAcceptsAsync(server);
        await CatalogList_DatabaseWithoutTheSchema_ExitsTwoAndLeavesItUntouchedAsync(server);
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
                Spec = new ServiceSpec { Name = "shared", FlavorId = "global", Domains = [new DomainSpec("www.example.com")], Origins = [new OriginSpec("origin.example.net")] },
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
