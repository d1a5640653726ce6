using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Poppy.Sdk;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.PostgreSql.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Keeps Poppy's catalog and operation journal in PostgreSQL, shared by every instance:
/// <c>services.AddPoppy(...).UsePostgreSqlCatalog(connectionString)</c>.
/// </summary>
public static class PoppyPostgreSqlBuilderExtensions
{
    /// <summary>
    /// Replaces the in-memory catalog with a <see cref="PostgreSqlServiceCatalog"/> and registers a
    /// <see cref="PostgreSqlOperationJournal"/> as the <see cref="IOperationJournal"/> (replacing any other), both on one
    /// data source created for the connection string and disposed with the container.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="connectionString">For example <c>Host=db;Database=poppy;Username=poppy;Password=…</c> (from a secret store).</param>
    /// <param name="configure">Adjusts the options (migrations on start, list page size); they apply to the catalog and the journal.</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder UsePostgreSqlCatalog(this IPoppyBuilder builder, string connectionString, Action<PostgreSqlServiceCatalogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = Options(configure);
        builder.Services.RemoveAll<PostgreSqlOwnedDataSource>();
        builder.Services.AddSingleton(_ => new PostgreSqlOwnedDataSource(NpgsqlDataSource.Create(connectionString)));
        return Use(builder, sp => sp.GetRequiredService<PostgreSqlOwnedDataSource>().DataSource, options);
    }

    /// <summary>
    /// Replaces the in-memory catalog with a <see cref="PostgreSqlServiceCatalog"/> and registers a
    /// <see cref="PostgreSqlOperationJournal"/> as the <see cref="IOperationJournal"/> (replacing any other), both on a
    /// data source the application owns (and disposes).
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="dataSource">The data source (its pool is shared with the application's other uses).</param>
    /// <param name="configure">Adjusts the options (migrations on start, list page size); they apply to the catalog and the journal.</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder UsePostgreSqlCatalog(this IPoppyBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlServiceCatalogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        var options = Options(configure);
        builder.Services.RemoveAll<PostgreSqlOwnedDataSource>();
        return Use(builder, _ => dataSource, options);
    }

    private static PostgreSqlServiceCatalogOptions Options(Action<PostgreSqlServiceCatalogOptions>? configure)
    {
        var options = new PostgreSqlServiceCatalogOptions();
        configure?.Invoke(options);
        options.Validate();
        return options;
    }

    private static IPoppyBuilder Use(IPoppyBuilder builder, Func<IServiceProvider, NpgsqlDataSource> dataSource, PostgreSqlServiceCatalogOptions options)
    {
        builder.Services.RemoveAll<IServiceCatalog>();
        builder.Services.RemoveAll<PostgreSqlServiceCatalog>();
        builder.Services.RemoveAll<IOperationJournal>();
        builder.Services.RemoveAll<PostgreSqlOperationJournal>();
        // Neither store owns the data source here: the container disposes it (the owned one) or the application does.
        builder.Services.AddSingleton(sp => new PostgreSqlServiceCatalog(dataSource(sp), options, sp.GetService<TimeProvider>()));
        builder.Services.AddSingleton<IServiceCatalog>(sp => sp.GetRequiredService<PostgreSqlServiceCatalog>());
        builder.Services.AddSingleton(sp => new PostgreSqlOperationJournal(dataSource(sp), options));
        builder.Services.AddSingleton<IOperationJournal>(sp => sp.GetRequiredService<PostgreSqlOperationJournal>());
        return builder;
    }
}
