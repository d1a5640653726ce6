using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Poppy.Sdk;
using Poppy.Sdk.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps Poppy's catalog in PostgreSQL, shared by every instance: <c>services.AddPoppy(...).UsePostgreSqlCatalog(connectionString)</c>.</summary>
public static class PoppyPostgreSqlBuilderExtensions
{
    /// <summary>Replaces the in-memory catalog with a <see cref="PostgreSqlServiceCatalog"/> that owns a data source for the connection string.</summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="connectionString">For example <c>Host=db;Database=poppy;Username=poppy;Password=…</c> (from a secret store).</param>
    /// <param name="configure">Adjusts the options (migrations on start, list page size).</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder UsePostgreSqlCatalog(this IPoppyBuilder builder, string connectionString, Action<PostgreSqlServiceCatalogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = Options(configure);
        return Use(builder, sp => new PostgreSqlServiceCatalog(connectionString, options, sp.GetService<TimeProvider>()));
    }

    /// <summary>Replaces the in-memory catalog with a <see cref="PostgreSqlServiceCatalog"/> on a data source the application owns.</summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="dataSource">The data source (its pool is shared with the application's other uses).</param>
    /// <param name="configure">Adjusts the options (migrations on start, list page size).</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder UsePostgreSqlCatalog(this IPoppyBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlServiceCatalogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        var options = Options(configure);
        return Use(builder, sp => new PostgreSqlServiceCatalog(dataSource, options, sp.GetService<TimeProvider>()));
    }

    private static PostgreSqlServiceCatalogOptions Options(Action<PostgreSqlServiceCatalogOptions>? configure)
    {
        var options = new PostgreSqlServiceCatalogOptions();
        configure?.Invoke(options);
        options.Validate();
        return options;
    }

    private static IPoppyBuilder Use(IPoppyBuilder builder, Func<IServiceProvider, PostgreSqlServiceCatalog> factory)
    {
        builder.Services.RemoveAll<IServiceCatalog>();
        builder.Services.RemoveAll<PostgreSqlServiceCatalog>();
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton<IServiceCatalog>(sp => sp.GetRequiredService<PostgreSqlServiceCatalog>());
        return builder;
    }
}
