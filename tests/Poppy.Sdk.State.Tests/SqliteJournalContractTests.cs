using Microsoft.Data.Sqlite;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.State.Tests;

/// <summary>The journal contract on SQLite: each handle is its own journal instance on the same file (own connections).</summary>
public sealed class SqliteJournalContractTests : JournalContractTests
{
    protected override Task<Func<IOperationJournal>> CreateStoreAsync()
    {
        var folder = TempFolder.Create();
        OnDispose(folder);
        var file = Path.Combine(folder.Path, "poppy.db");
        // Pooling off for every other handle, as in the catalog's run; a small page size so listing crosses pages.
        var handles = 0;
        return Task.FromResult<Func<IOperationJournal>>(() => new SqliteOperationJournal(new SqliteServiceCatalogOptions
        {
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = Interlocked.Increment(ref handles) % 2 == 1 }.ToString(),
            ListPageSize = 40,
        }));
    }
}
