using Microsoft.Data.Sqlite;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.State.Tests;

/// <summary>The contract on SQLite: each handle is its own catalog instance on the same file (own connections).</summary>
public sealed class SqliteCatalogContractTests : CatalogContractTests
{
    protected override Task<Func<IServiceCatalog>> CreateStoreAsync(int listPageSize)
    {
        var folder = TempFolder.Create();
        OnDispose(folder);
        var file = Path.Combine(folder.Path, "poppy.db");
        // Pooling off for every other handle: those really open their own connections to the file, as another process would.
        var handles = 0;
        return Task.FromResult<Func<IServiceCatalog>>(() => new SqliteServiceCatalog(new SqliteServiceCatalogOptions
        {
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = Interlocked.Increment(ref handles) % 2 == 1 }.ToString(),
            ListPageSize = listPageSize,
        }));
    }
}

/// <summary>A temporary folder deleted at the end of a test (SQLite's pooled connections are cleared first).</summary>
internal sealed class TempFolder : IAsyncDisposable
{
    private TempFolder(string path) => Path = path;

    public string Path { get; }

    public static TempFolder Create() => new(Directory.CreateTempSubdirectory("poppy-state-").FullName);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
        return ValueTask.CompletedTask;
    }
}
