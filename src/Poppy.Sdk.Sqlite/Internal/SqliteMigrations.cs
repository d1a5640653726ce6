namespace Poppy.Sdk.Sqlite.Internal;

/// <summary>
/// The catalog's and the operation journal's schema, as numbered steps applied in order and recorded in <c>poppy_schema_version</c>. A step is
/// never edited once shipped and never drops data: a new need is a new step.
/// </summary>
internal static class SqliteMigrations
{
    public const string SchemaTable = """
        CREATE TABLE IF NOT EXISTS poppy_schema_version (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL,
            applied_at  TEXT    NOT NULL
        );
        """;

    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> Steps =
    [
        (1, "services", """
            CREATE TABLE poppy_services (
                service_id      TEXT    NOT NULL PRIMARY KEY,
                version         INTEGER NOT NULL,
                spec            TEXT    NOT NULL,
                providers       TEXT    NOT NULL,
                pending_cleanup TEXT    NOT NULL
            ) WITHOUT ROWID;
            """),
        (2, "update time; vendor id look-up", """
            ALTER TABLE poppy_services ADD COLUMN updated_at TEXT;
            CREATE TABLE poppy_provider_resources (
                service_id        TEXT NOT NULL,
                provider          TEXT NOT NULL,
                vendor_service_id TEXT NOT NULL,
                PRIMARY KEY (service_id, provider)
            ) WITHOUT ROWID;
            CREATE INDEX ix_poppy_provider_resources_vendor ON poppy_provider_resources (provider, vendor_service_id);
            INSERT OR IGNORE INTO poppy_provider_resources (service_id, provider, vendor_service_id)
                SELECT s.service_id, json_extract(p.value, '$.provider'), json_extract(p.value, '$.vendor_service_id')
                FROM poppy_services AS s, json_each(s.providers) AS p
                WHERE json_extract(p.value, '$.vendor_service_id') IS NOT NULL;
            """),
        // Times are fixed-width UTC text (yyyy-MM-ddTHH:mm:ss.fffffffZ): they compare in SQL as they do in time, and
        // read back to the tick.
        (3, "operation journal", """
            CREATE TABLE poppy_operations (
                operation_id     TEXT    NOT NULL PRIMARY KEY,
                run_id           TEXT    NOT NULL,
                service_id       TEXT    NOT NULL,
                kind             TEXT    NOT NULL CHECK (kind IN ('create', 'update', 'delete', 'purge')),
                state            TEXT    NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
                owner            TEXT    NOT NULL,
                lease_expires_at TEXT    NOT NULL,
                started_at       TEXT    NOT NULL,
                updated_at       TEXT    NOT NULL,
                completed_at     TEXT    NULL,
                claims           INTEGER NOT NULL DEFAULT 0,
                data             TEXT    NULL,
                error            TEXT    NULL
            );
            CREATE INDEX ix_poppy_operations_claim ON poppy_operations (state, lease_expires_at);
            CREATE INDEX ix_poppy_operations_list ON poppy_operations (started_at DESC, operation_id);
            CREATE INDEX ix_poppy_operations_service ON poppy_operations (service_id, started_at DESC, operation_id);
            CREATE INDEX ix_poppy_operations_prune ON poppy_operations (state, completed_at);
            """),
    ];

    public static int Latest => Steps[^1].Version;
}
