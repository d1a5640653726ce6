using System.Globalization;
using Npgsql;
using static Poppy.Sdk.PostgreSql.Internal.PostgreSqlParameters;

namespace Poppy.Sdk.PostgreSql.Internal;

/// <summary>
/// Brings one store's database to <see cref="PostgreSqlMigrations.Latest"/> on first use, once per store instance: the
/// catalog and the journal each hold one, and both run the same steps behind the same advisory lock, so whichever
/// starts first migrates and the other finds nothing to do.
/// </summary>
internal sealed class PostgreSqlSchema(NpgsqlDataSource dataSource, bool applyMigrations)
{
    private readonly Lock _initLock = new();
    private Task? _initialization;
    private volatile bool _initialized;

    /// <summary>Reads the schema version recorded in the database (0 when it has no Poppy tables yet).</summary>
    public static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('poppy_schema_version') IS NOT NULL", connection, transaction))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return 0;
            }
        }

        await using var max = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM poppy_schema_version", connection, transaction);
        return Convert.ToInt32(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Completes when the schema is current; the first call migrates (or checks, when migrations are off).</summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return Task.CompletedTask;
        }

        lock (_initLock)
        {
            // One initialisation shared by every caller; a failed one (server down, newer schema) is tried again next time.
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
            {
                _initialization = InitializeAsync();
            }

            return _initialization.WaitAsync(cancellationToken);
        }
    }

    private async Task InitializeAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        if (applyMigrations)
        {
            // Every instance that starts takes the same transaction-scoped lock: the first migrates, the others wait
            // and then find nothing to do.
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgreSqlMigrations.AdvisoryLockKey})", connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await using (var schema = new NpgsqlCommand(PostgreSqlMigrations.SchemaTable, connection, transaction))
            {
                await schema.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }

        var current = await ReadVersionAsync(connection, transaction, CancellationToken.None).ConfigureAwait(false);
        if (current > PostgreSqlMigrations.Latest)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The PostgreSQL schema of the Poppy catalog and journal is version {current}, newer than this version of Poppy.Sdk.PostgreSql knows ({PostgreSqlMigrations.Latest}); upgrade the package. Nothing was changed."));
        }

        if (!applyMigrations)
        {
            if (current < PostgreSqlMigrations.Latest)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The PostgreSQL schema of the Poppy catalog and journal is version {current}, this library needs {PostgreSqlMigrations.Latest}, and ApplyMigrations is off: apply PostgreSqlServiceCatalog.GetMigrationScript({current}) first."));
            }

            _initialized = true;
            return;
        }

        foreach (var (version, description, sql) in PostgreSqlMigrations.Steps)
        {
            if (version <= current)
            {
                continue;
            }

            await using var step = new NpgsqlCommand(sql, connection, transaction);
            await step.ExecuteNonQueryAsync().ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO poppy_schema_version (version, description) VALUES ($1, $2)", connection, transaction)
            {
                Parameters = { Int32(version), Text(description) },
            };
            await record.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        _initialized = true;
    }
}
