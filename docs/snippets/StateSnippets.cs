using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Poppy.Sdk.PostgreSql;

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
}
