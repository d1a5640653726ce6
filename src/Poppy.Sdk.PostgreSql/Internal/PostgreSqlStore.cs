using Npgsql;

namespace Poppy.Sdk.PostgreSql.Internal;

/// <summary>
/// What the catalog and the journal share: their data source (owned when they created it from a connection string),
/// the schema they bring up to date on first use, and typed commands.
/// </summary>
internal sealed class PostgreSqlStore(NpgsqlDataSource dataSource, bool ownsDataSource, bool applyMigrations) : IAsyncDisposable, IDisposable
{
    private readonly PostgreSqlSchema _schema = new(dataSource, applyMigrations);

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Completes when the schema is current (migrating on the first call, when migrations are on).</summary>
    public Task EnsureSchemaAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    public NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    public ValueTask DisposeAsync() => ownsDataSource ? dataSource.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose()
    {
        if (ownsDataSource)
        {
            dataSource.Dispose();
        }
    }
}
