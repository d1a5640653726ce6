using Poppy.Sdk.PostgreSql;

namespace Poppy.Sdk.State.Tests;

/// <summary>
/// The journal contract on PostgreSQL: a fresh database per test; each handle is its own journal with its own data
/// source (as another instance would be). Pages of 7, an odd size, so that entries started at the same time straddle pages.
/// </summary>
[Collection(PostgreSqlGroup.Name)]
public sealed class PostgreSqlJournalContractTests(PostgreSqlFixture fixture) : JournalContractTests
{
    protected override async Task<Func<IOperationJournal>> CreateStoreAsync()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        return () =>
        {
            var journal = new PostgreSqlOperationJournal(connectionString, new PostgreSqlServiceCatalogOptions { ListPageSize = 7 });
            OnDispose(journal);
            return journal;
        };
    }
}
