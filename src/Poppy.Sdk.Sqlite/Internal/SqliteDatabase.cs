using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Poppy.Sdk.Sqlite.Internal;

/// <summary>
/// One SQLite file as the catalog and the journal use it: connections with the busy timeout, and the schema created or
/// upgraded (<see cref="SqliteMigrations"/>) once per handle, on first use, whichever store is used first.
/// </summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _busyTimeoutPragma;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _initLock = new();
    private Task? _initialization;
    private volatile bool _initialized;

    public SqliteDatabase(SqliteServiceCatalogOptions options, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            // Microsoft.Data.Sqlite retries a busy statement until the command timeout; SQLite's own busy handler
            // (the pragma set on every connection) waits inside the engine. Both get the configured time.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        _connectionString = builder.ToString();
        _busyTimeoutPragma = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};");
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates the schema or upgrades it now (otherwise done by the first <see cref="OpenAsync"/>).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => EnsureInitializedAsync(cancellationToken);

    /// <summary>Opens a connection on an initialised schema.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the schema version recorded in the file (0 when it has none), without migrating.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
        return ReadSchemaVersion(connection, null);
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        return command;
    }

    private static int ReadSchemaVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var exists = Command(connection, transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'poppy_schema_version';");
        if (exists.ExecuteScalar() is null)
        {
            return 0;
        }

        using var max = Command(connection, transaction, "SELECT MAX(version) FROM poppy_schema_version;");
        return max.ExecuteScalar() is long v ? (int)v : 0;
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = Command(connection, _busyTimeoutPragma);
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return Task.CompletedTask;
        }

        lock (_initLock)
        {
            // One initialisation shared by every caller; a failed one (a busy file, a newer schema) is tried again next time.
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
            {
                _initialization = InitializeAsync();
            }

            return _initialization.WaitAsync(cancellationToken);
        }
    }

    private async Task InitializeAsync()
    {
        using var connection = await OpenRawAsync(CancellationToken.None).ConfigureAwait(false);
        using (var wal = Command(connection, "PRAGMA journal_mode = WAL;"))
        {
            // Persistent in the file; an in-memory database answers "memory", which is fine.
            wal.ExecuteScalar();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using (var schema = Command(connection, transaction, SqliteMigrations.SchemaTable))
        {
            schema.ExecuteNonQuery();
        }

        var current = ReadSchemaVersion(connection, transaction);
        if (current > SqliteMigrations.Latest)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The SQLite catalog's schema is version {current}, newer than this version of Poppy.Sdk.Sqlite knows ({SqliteMigrations.Latest}); upgrade the package. Nothing was changed."));
        }

        foreach (var (version, description, sql) in SqliteMigrations.Steps)
        {
            if (version <= current)
            {
                continue;
            }

            using var step = Command(connection, transaction, sql);
            step.ExecuteNonQuery();
            using var record = Command(
                connection,
                transaction,
                "INSERT INTO poppy_schema_version (version, description, applied_at) VALUES ($version, $description, $now);",
                ("$version", version),
                ("$description", description),
                ("$now", _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        _initialized = true;
    }
}
