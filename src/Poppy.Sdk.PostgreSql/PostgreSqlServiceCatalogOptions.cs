namespace Poppy.Sdk.PostgreSql;

/// <summary>Options of <see cref="PostgreSqlServiceCatalog"/>.</summary>
public sealed class PostgreSqlServiceCatalogOptions
{
    /// <summary>
    /// Whether the store creates or upgrades its tables on first use (behind an advisory lock, so many instances
    /// starting at once apply each migration once). Default true. When false, the schema must already be at
    /// <see cref="PostgreSqlServiceCatalog.LatestSchemaVersion"/> (apply <see cref="PostgreSqlServiceCatalog.GetMigrationScript"/>
    /// yourself), otherwise the first call fails with a message saying so.
    /// </summary>
    public bool ApplyMigrations { get; set; } = true;

    /// <summary>How many services <see cref="PostgreSqlServiceCatalog.ListAsync"/> reads per query (keyset paging by id). Default 500.</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>Checks the options and throws with every problem found.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (ListPageSize < 1)
        {
            throw new ArgumentException("Invalid PostgreSQL catalog options: ListPageSize must be at least 1.");
        }
    }
}
