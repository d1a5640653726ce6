namespace Poppy.Sdk.Sqlite.Internal;

/// <summary>
/// The catalog's schema, as numbered steps applied in order and recorded in <c>poppy_schema_version</c>. A step is
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
    ];

    public static int Latest => Steps[^1].Version;
}
