using Poppy.Sdk.PostgreSql;

namespace Poppy.Sdk.State.Tests;

/// <summary>The contract on PostgreSQL: a fresh database per test; each handle is its own catalog with its own data source (as another instance would be).</summary>
[Collection(PostgreSqlGroup.Name)]
public sealed class PostgreSqlCatalogContractTests(PostgreSqlFixture fixture) : CatalogContractTests
{
    protected override async Task<Func<IServiceCatalog>> CreateStoreAsync(int listPageSize)
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        return () =>
        {
            var catalog = new PostgreSqlServiceCatalog(connectionString, new PostgreSqlServiceCatalogOptions { ListPageSize = listPageSize });
            OnDispose(catalog);
            return catalog;
        };
    }
}
