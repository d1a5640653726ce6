using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.Docs.Snippets;

/// <summary>docs/state.md.</summary>
internal static class State
{
    public static void Sqlite(IServiceCollection services, IConfiguration configuration)
    {
        #region state-sqlite
        services.AddPoppy(configuration)
                .UseSqliteCatalog("Data Source=poppy.db", o => o.BusyTimeout = TimeSpan.FromSeconds(30))
                .AddFastly(configuration.GetSection("Fastly"));
        #endregion
    }

    public static void PostgreSql(IServiceCollection services, IConfiguration configuration, NpgsqlDataSource dataSource)
    {
        #region state-postgresql
        services.AddPoppy(configuration)
                .UsePostgreSqlCatalog(configuration.GetConnectionString("Poppy")!)   // or .UsePostgreSqlCatalog(dataSource)
                .AddFastly(configuration.GetSection("Fastly"));
        #endregion
        _ = dataSource;
    }

    public static void Redis(IServiceCollection services, IConfiguration configuration)
    {
        #region state-redis
        services.AddPoppy(configuration)
                .AddFastly(configuration.GetSection("Fastly"))
                .UseRedisRateLimits("redis.internal:6379");
        #endregion
    }

    public static async Task Journal(IServiceCollection services, IConfiguration configuration, PoppyClient poppy, string operationId)
    {
        #region state-journal
        services.AddPoppy(configuration)     // Poppy:Journal:LeaseDuration, RecoveryInterval, Retention, MaxConcurrentRecoveries, MaxTakeovers
                .UsePostgreSqlCatalog(configuration.GetConnectionString("Poppy")!)   // catalog and journal, one database
                .AddCloudFront(configuration.GetSection("CloudFront"));

        // In any instance, for an operation any instance started:
        var entry = await poppy.WaitForOperationAsync(operationId);
        Console.WriteLine($"{entry.State} by {entry.Owner} after {entry.Claims} takeover(s)");
        #endregion
    }

    public static void Script(IServiceCollection services, NpgsqlDataSource dataSource)
    {
        #region state-postgresql-script
        File.WriteAllText("poppy-catalog.sql", PostgreSqlServiceCatalog.GetMigrationScript(fromVersion: 0));

        services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "fastly"))
                .UsePostgreSqlCatalog(dataSource, o => o.ApplyMigrations = false);   // the application never changes the schema
        #endregion
    }

    public static async Task Transfer(PoppyClient client, string connectionString, CancellationToken cancellationToken)
    {
        #region state-transfer
        // Out of the old store: one JSON document, written as the catalog is read (any size, one service at a time).
        var old = new SqliteServiceCatalog("Data Source=poppy.db");
        await using (var file = File.Create("catalog.json"))
        {
            var exported = await CatalogTransfer.ExportAsync(old, file, cancellationToken);
            Console.WriteLine(exported);   // 1234 services exported at 2026-12-07T08:00:00.0000000+00:00
        }

        // Into the new one, read as a stream: services it already holds are skipped (or Overwrite, or Fail);
        // an entry whose spec is invalid is reported with its path and not written.
        await using var target = new PostgreSqlServiceCatalog(connectionString);
        await using (var file = File.OpenRead("catalog.json"))
        {
            var options = new CatalogImportOptions { ConflictPolicy = CatalogConflictPolicy.Skip };
            var imported = await CatalogTransfer.ImportAsync(target, file, options, cancellationToken);
            Console.WriteLine(imported);   // 1234 imported, 0 skipped, 0 overwritten, no problem
        }

        // Or store to store directly, or from the vendors themselves into the new store:
        await CatalogTransfer.CopyAsync(old, target, cancellationToken: cancellationToken);
        var rebuilt = await client.RebuildCatalogAsync(target, cancellationToken);
        Console.WriteLine(rebuilt);        // 1234 services recorded; every provider listed
        #endregion
    }
}
