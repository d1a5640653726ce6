using Npgsql;
using Poppy.Sdk.Models;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.Cli.Tests;

/// <summary>One throwaway PostgreSQL server for the CLI's PostgreSQL tests; each test creates its own database.</summary>
public sealed class CliPostgreSqlFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

    internal PostgreSqlServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server did not start.");

    public async Task InitializeAsync() => _server = await PostgreSqlServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary><c>poppy catalog list</c> and <c>poppy db script</c> against a real PostgreSQL server the test starts.</summary>
public sealed class PostgreSqlStateCommandsTests(CliPostgreSqlFixture fixture) : IClassFixture<CliPostgreSqlFixture>
{
    [Fact]
    public async Task CatalogList_PostgreSqlUri_ListsWhatAnotherInstanceSaved()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
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
        var result = await CliRun.RunAsync("catalog", "list", "--catalog", $"postgresql://postgres@127.0.0.1:{fixture.Server.Port}/{database}?sslmode=disable");

        Assert.Equal((0, ""), (result.Code, result.Err));
        Assert.Equal(
            ["svc-pg  global  deployed  cloudfront=deployed E2PG", $"1 service in the PostgreSQL database '{database}' on 127.0.0.1:{fixture.Server.Port}."],
            CliRun.Lines(result.Out));
    }

    [Fact]
    public async Task DbScript_AppliedByHand_GivesTheSchemaALibraryWithMigrationsOffAccepts()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        var script = await CliRun.RunAsync("db", "script", "--store", "postgresql");
        Assert.Equal(0, script.Code);

        await PostgreSqlServer.ExecuteOnAsync(connectionString, script.Out);

        await using var catalog = new PostgreSqlServiceCatalog(connectionString, new PostgreSqlServiceCatalogOptions { ApplyMigrations = false });
        Assert.Equal(PostgreSqlServiceCatalog.LatestSchemaVersion, await catalog.GetSchemaVersionAsync());
        Assert.Null(await catalog.GetAsync("svc-none"));
    }
}
