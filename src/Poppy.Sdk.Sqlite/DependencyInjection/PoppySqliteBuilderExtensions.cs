using Microsoft.Extensions.DependencyInjection.Extensions;
using Poppy.Sdk;
using Poppy.Sdk.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps Poppy's catalog and operation journal in a SQLite file: <c>services.AddPoppy(...).UseSqliteCatalog("Data Source=poppy.db")</c>.</summary>
public static class PoppySqliteBuilderExtensions
{
    /// <summary>
    /// Replaces the catalog with a <see cref="SqliteServiceCatalog"/> and the operation journal with a
    /// <see cref="SqliteOperationJournal"/>, both in the file the connection string names (any earlier
    /// <see cref="IServiceCatalog"/> or <see cref="IOperationJournal"/> registration is removed).
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="connectionString">For example <c>Data Source=poppy.db</c>.</param>
    /// <param name="configure">Adjusts the other options (busy timeout, list page size).</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder UseSqliteCatalog(this IPoppyBuilder builder, string connectionString, Action<SqliteServiceCatalogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SqliteServiceCatalogOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        options.Validate();
        builder.Services.RemoveAll<IServiceCatalog>();
        builder.Services.AddSingleton<IServiceCatalog>(sp => new SqliteServiceCatalog(options, sp.GetService<TimeProvider>()));
        builder.Services.RemoveAll<IOperationJournal>();
        builder.Services.AddSingleton<IOperationJournal>(sp => new SqliteOperationJournal(options, sp.GetService<TimeProvider>()));
        return builder;
    }
}
