namespace Poppy.Sdk.Sqlite;

/// <summary>Options of <see cref="SqliteServiceCatalog"/>.</summary>
public sealed class SqliteServiceCatalogOptions
{
    /// <summary>The SQLite connection string, for example <c>Data Source=poppy.db</c>. Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long a statement waits for another connection or process that holds the write lock before failing with
    /// <c>SQLITE_BUSY</c>. Default 10 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many services <see cref="SqliteServiceCatalog.ListAsync"/> reads per query (keyset paging by id). Default 500.</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>Checks the options and throws with every problem found.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("ConnectionString is required (for example \"Data Source=poppy.db\").");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromSeconds(int.MaxValue / 1000))
        {
            problems.Add("BusyTimeout must be zero or positive.");
        }

        if (ListPageSize < 1)
        {
            problems.Add("ListPageSize must be at least 1.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid SQLite catalog options: " + string.Join(" ", problems));
        }
    }
}
