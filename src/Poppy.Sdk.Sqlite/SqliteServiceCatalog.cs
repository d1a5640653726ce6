using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Poppy.Sdk.Sqlite.Internal;
using Poppy.Sdk.State;

namespace Poppy.Sdk.Sqlite;

/// <summary>
/// A durable <see cref="IServiceCatalog"/> in one SQLite file: the embedded store for one machine (and the CLI's).
/// The file is put in WAL mode (readers never block the writer), its schema is created and upgraded on first use by
/// numbered, non-destructive migrations recorded in <c>poppy_schema_version</c>, and every write runs in a
/// <c>BEGIN IMMEDIATE</c> transaction that checks the stored version, so several connections or processes can share
/// the file: a stale write fails with <see cref="CatalogConflictException"/>, a busy file is waited for up to
/// <see cref="SqliteServiceCatalogOptions.BusyTimeout"/>.
/// </summary>
public sealed class SqliteServiceCatalog : IServiceCatalog
{
    private const string Columns = "service_id, version, spec, providers, pending_cleanup";

    private readonly SqliteDatabase _database;
    private readonly int _pageSize;
    private readonly TimeProvider _timeProvider;

    /// <summary>Opens (and on first use creates or upgrades) the catalog in the file a connection string names.</summary>
    /// <param name="connectionString">For example <c>Data Source=poppy.db</c>.</param>
    public SqliteServiceCatalog(string connectionString)
        : this(new SqliteServiceCatalogOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Opens (and on first use creates or upgrades) the catalog.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">Stamps each entry's update time; <see cref="TimeProvider.System"/> when null.</param>
    public SqliteServiceCatalog(SqliteServiceCatalogOptions options, TimeProvider? timeProvider = null)
    {
        _database = new SqliteDatabase(options, timeProvider);
        _pageSize = options.ListPageSize;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The schema version this library creates and upgrades to.</summary>
    public static int LatestSchemaVersion => SqliteMigrations.Latest;

    /// <summary>
    /// Creates the schema or upgrades it to <see cref="LatestSchemaVersion"/> now (otherwise done on first use). Safe to
    /// call from several processes at once: the upgrade runs in one write transaction, the others wait and find it done.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schema version afterwards.</returns>
    /// <exception cref="InvalidOperationException">The file's schema is newer than this library knows.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return LatestSchemaVersion;
    }

    /// <inheritdoc />
    public async ValueTask<CdnService?> GetAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serviceId);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, $"SELECT {Columns} FROM poppy_services WHERE service_id = $id;", ("$id", serviceId));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async ValueTask<CdnService> SaveAsync(CdnService service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = CatalogJson.SerializeSpec(service.Spec);
        var providers = CatalogJson.SerializeProviders(service.Providers);
        var pending = CatalogJson.SerializeStrings(service.PendingCleanup);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        var stored = StoredVersion(connection, transaction, service.ServiceId);
        if (stored != service.Version)
        {
            throw new CatalogConflictException(service.ServiceId, service.Version, stored);
        }

        var version = stored + 1;
        var now = _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var sql = stored == 0
            ? "INSERT INTO poppy_services (service_id, version, spec, providers, pending_cleanup, updated_at) VALUES ($id, $version, $spec, $providers, $pending, $now);"
            : "UPDATE poppy_services SET version = $version, spec = $spec, providers = $providers, pending_cleanup = $pending, updated_at = $now WHERE service_id = $id;";
        using (var write = Command(connection, sql, ("$id", service.ServiceId), ("$version", version), ("$spec", spec), ("$providers", providers), ("$pending", pending), ("$now", now)))
        {
            write.Transaction = transaction;
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await WriteResourcesAsync(connection, transaction, service, cancellationToken).ConfigureAwait(false);
        transaction.Commit();
        return service with { Version = version };
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string serviceId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serviceId);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        var stored = StoredVersion(connection, transaction, serviceId);
        if (stored == 0)
        {
            return false;
        }

        if (stored != expectedVersion)
        {
            throw new CatalogConflictException(serviceId, expectedVersion, stored);
        }

        using (var delete = Command(connection, "DELETE FROM poppy_services WHERE service_id = $id; DELETE FROM poppy_provider_resources WHERE service_id = $id;", ("$id", serviceId)))
        {
            delete.Transaction = transaction;
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        transaction.Commit();
        return true;
    }

    /// <summary>
    /// Lists every service, ordered by id, reading <see cref="SqliteServiceCatalogOptions.ListPageSize"/> at a time
    /// (each page its own short read, so a long enumeration holds no lock and sees writes made meanwhile past its position).
    /// </summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The services.</returns>
    public async IAsyncEnumerable<CdnService> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? after = null;
        while (true)
        {
            var page = await ListPageAsync(after, _pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var service in page)
            {
                yield return service;
            }

            if (page.Count < _pageSize)
            {
                yield break;
            }

            after = page[^1].ServiceId;
        }
    }

    /// <summary>Reads one page of services ordered by id (keyset paging: pass the last id of the previous page).</summary>
    /// <param name="afterServiceId">Start after this id; null for the first page.</param>
    /// <param name="limit">At most this many services.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page; fewer than <paramref name="limit"/> services means it is the last.</returns>
    public async Task<IReadOnlyList<CdnService>> ListPageAsync(string? afterServiceId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = afterServiceId is null
            ? Command(connection, $"SELECT {Columns} FROM poppy_services ORDER BY service_id LIMIT $limit;", ("$limit", limit))
            : Command(connection, $"SELECT {Columns} FROM poppy_services WHERE service_id > $after ORDER BY service_id LIMIT $limit;", ("$after", afterServiceId), ("$limit", limit));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<CdnService>(Math.Min(limit, 1024));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(Read(reader));
        }

        return page;
    }

    /// <summary>Finds the service a vendor resource belongs to (for example the one whose CloudFront distribution is <c>E2ABC</c>).</summary>
    /// <param name="provider">The provider's registered name.</param>
    /// <param name="vendorServiceId">The vendor's id of the resource (<see cref="ProviderServiceDetails.VendorServiceId"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service, or null when no stored service has that vendor id on that provider.</returns>
    public async Task<CdnService?> FindByVendorServiceIdAsync(string provider, string vendorServiceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(vendorServiceId);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            $"SELECT {string.Join(", ", Columns.Split(", ").Select(c => "s." + c))} FROM poppy_provider_resources AS r JOIN poppy_services AS s ON s.service_id = r.service_id WHERE r.provider = $provider AND r.vendor_service_id = $vendor ORDER BY s.service_id LIMIT 1;",
            ("$provider", provider),
            ("$vendor", vendorServiceId));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>Reads the schema version recorded in the file (0 when the file has no catalog yet). Does not migrate.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The highest applied migration.</returns>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) => _database.GetSchemaVersionAsync(cancellationToken);

    private static CdnService Read(SqliteDataReader reader) =>
        CatalogJson.Service(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));

    private static async Task WriteResourcesAsync(SqliteConnection connection, SqliteTransaction transaction, CdnService service, CancellationToken cancellationToken)
    {
        using (var clear = Command(connection, "DELETE FROM poppy_provider_resources WHERE service_id = $id;", ("$id", service.ServiceId)))
        {
            clear.Transaction = transaction;
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var provider in service.Providers)
        {
            if (provider.VendorServiceId is not { } vendorId)
            {
                continue;
            }

            using var insert = Command(
                connection,
                "INSERT OR REPLACE INTO poppy_provider_resources (service_id, provider, vendor_service_id) VALUES ($id, $provider, $vendor);",
                ("$id", service.ServiceId),
                ("$provider", provider.Provider),
                ("$vendor", vendorId));
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static long StoredVersion(SqliteConnection connection, SqliteTransaction transaction, string serviceId)
    {
        using var command = Command(connection, "SELECT version FROM poppy_services WHERE service_id = $id;", ("$id", serviceId));
        command.Transaction = transaction;
        return command.ExecuteScalar() is long v ? v : 0;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        SqliteDatabase.Command(connection, sql, parameters);

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _database.OpenAsync(cancellationToken);
}
