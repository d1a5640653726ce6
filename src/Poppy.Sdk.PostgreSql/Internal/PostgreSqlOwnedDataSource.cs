using Npgsql;

namespace Poppy.Sdk.PostgreSql.Internal;

/// <summary>
/// The one data source the DI registration creates from a connection string, shared by the catalog and the journal
/// and disposed with the container (synchronously or not).
/// </summary>
internal sealed class PostgreSqlOwnedDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable, IDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
