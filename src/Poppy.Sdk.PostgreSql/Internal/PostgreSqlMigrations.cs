using System.Globalization;
using System.Text;

namespace Poppy.Sdk.PostgreSql.Internal;

/// <summary>
/// The schema of the catalog and the operation journal (one database, one version sequence), as numbered steps applied in order and recorded in <c>poppy_schema_version</c>. A step is
/// never edited once shipped and never drops data: a new need is a new step.
/// </summary>
internal static class PostgreSqlMigrations
{
    /// <summary>The advisory lock every instance takes while migrating ("PoppyCat" as a 64-bit number).</summary>
    public const long AdvisoryLockKey = 0x506F_7070_7943_6174;

    public const string SchemaTable = """
        CREATE TABLE IF NOT EXISTS poppy_schema_version (
            version     integer     NOT NULL PRIMARY KEY,
            description text        NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        );
        """;

    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> Steps =
    [
        (1, "services", """
            CREATE TABLE poppy_services (
                service_id      text COLLATE "C" NOT NULL PRIMARY KEY,
                version         bigint NOT NULL,
                spec            jsonb  NOT NULL,
                providers       jsonb  NOT NULL,
                pending_cleanup jsonb  NOT NULL
            );
            """),
        (2, "update time; vendor id look-up", """
            ALTER TABLE poppy_services ADD COLUMN updated_at timestamptz;
            CREATE INDEX ix_poppy_services_providers ON poppy_services USING gin (providers jsonb_path_ops);
            """),
        (3, "operation journal", """
            CREATE TABLE poppy_operations (
                operation_id     text COLLATE "C" NOT NULL PRIMARY KEY,
                run_id           text        NOT NULL,
                service_id       text COLLATE "C" NOT NULL,
                kind             text        NOT NULL CHECK (kind IN ('create', 'update', 'delete', 'purge')),
                state            text        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
                owner            text        NOT NULL,
                lease_expires_at timestamptz NOT NULL,
                started_at       timestamptz NOT NULL,
                updated_at       timestamptz NOT NULL,
                completed_at     timestamptz,
                claims           integer     NOT NULL DEFAULT 0,
                data             text,
                error            jsonb
            );
            CREATE INDEX ix_poppy_operations_claim ON poppy_operations (lease_expires_at) WHERE state = 'running';
            CREATE INDEX ix_poppy_operations_list ON poppy_operations (started_at DESC, operation_id);
            CREATE INDEX ix_poppy_operations_service ON poppy_operations (service_id, started_at DESC, operation_id);
            CREATE INDEX ix_poppy_operations_prune ON poppy_operations (completed_at) WHERE state <> 'running';
            """),
    ];

    public static int Latest => Steps[^1].Version;

    public static string Script(int fromVersion)
    {
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"-- Poppy.Sdk PostgreSQL catalog and operation journal: schema versions {fromVersion + 1} to {Latest}.\n");
        sql.Append("-- Runs in one transaction behind the same advisory lock the library takes; fails (and changes nothing) if a step was already applied.\n");
        sql.Append("BEGIN;\n");
        sql.Append(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey});\n");
        sql.Append(SchemaTable).Append('\n');
        foreach (var (version, description, step) in Steps)
        {
            if (version <= fromVersion)
            {
                continue;
            }

            sql.Append(CultureInfo.InvariantCulture, $"\n-- {version}: {description}\n");
            sql.Append(step).Append('\n');
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO poppy_schema_version (version, description) VALUES ({version}, '{description.Replace("'", "''", StringComparison.Ordinal)}');\n");
        }

        sql.Append("COMMIT;\n");
        return sql.ToString();
    }
}
