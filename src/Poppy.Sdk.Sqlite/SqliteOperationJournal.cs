using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Poppy.Sdk.Sqlite.Internal;
using Poppy.Sdk.State;

namespace Poppy.Sdk.Sqlite;

/// <summary>
/// A durable <see cref="IOperationJournal"/> in the SQLite file of a <see cref="SqliteServiceCatalog"/> (table
/// <c>poppy_operations</c>, created by the same migrations on first use of either store). Every write is one statement
/// or one <c>BEGIN IMMEDIATE</c> transaction, so several connections and processes on the one machine can share the
/// file: <see cref="ClaimExpiredAsync"/> hands each expired entry to exactly one claimer. Times are stored as UTC to the
/// tick and read back with a zero offset.
/// </summary>
public sealed class SqliteOperationJournal : IOperationJournal
{
    private const string Columns = "operation_id, run_id, service_id, kind, state, owner, lease_expires_at, started_at, updated_at, completed_at, claims, data, error";
    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    private readonly SqliteDatabase _database;
    private readonly int _pageSize;

    /// <summary>Opens (and on first use creates or upgrades) the journal in the file a connection string names.</summary>
    /// <param name="connectionString">For example <c>Data Source=poppy.db</c>: the catalog's file.</param>
    public SqliteOperationJournal(string connectionString)
        : this(new SqliteServiceCatalogOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Opens (and on first use creates or upgrades) the journal.</summary>
    /// <param name="options">The catalog's options (the file, the busy timeout, and the page size used when listing); validated here.</param>
    /// <param name="timeProvider">Stamps the schema migrations it applies; <see cref="TimeProvider.System"/> when null. Entry times are the callers'.</param>
    public SqliteOperationJournal(SqliteServiceCatalogOptions options, TimeProvider? timeProvider = null)
    {
        _database = new SqliteDatabase(options, timeProvider);
        _pageSize = options.ListPageSize;
    }

    /// <inheritdoc />
    public async ValueTask StartAsync(OperationJournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(
            connection,
            $"""
            INSERT INTO poppy_operations ({Columns})
            VALUES ($id, $run, $service, $kind, $state, $owner, $lease, $started, $updated, $completed, $claims, $data, $error)
            ON CONFLICT (operation_id) DO UPDATE SET
                run_id = excluded.run_id, service_id = excluded.service_id, kind = excluded.kind, state = excluded.state,
                owner = excluded.owner, lease_expires_at = excluded.lease_expires_at, started_at = excluded.started_at,
                updated_at = excluded.updated_at, completed_at = excluded.completed_at, claims = excluded.claims,
                data = excluded.data, error = excluded.error;
            """,
            ("$id", entry.OperationId),
            ("$run", entry.RunId),
            ("$service", entry.ServiceId),
            ("$kind", OperationId.KindText(entry.Kind)),
            ("$state", StateText(entry.State)),
            ("$owner", entry.Owner),
            ("$lease", Time(entry.LeaseExpiresAt)),
            ("$started", Time(entry.StartedAt)),
            ("$updated", Time(entry.UpdatedAt)),
            ("$completed", entry.CompletedAt is { } completed ? Time(completed) : null),
            ("$claims", entry.Claims),
            ("$data", entry.Data),
            ("$error", entry.Error is { } error ? CatalogJson.SerializeError(error) : null));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<OperationJournalEntry?> GetAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(connection, $"SELECT {Columns} FROM poppy_operations WHERE operation_id = $id;", ("$id", operationId));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RenewAsync(string operationId, string runId, string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, string? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(owner);
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(
            connection,
            """
            UPDATE poppy_operations SET lease_expires_at = $lease, updated_at = $now, data = COALESCE($data, data)
            WHERE operation_id = $id AND run_id = $run AND owner = $owner AND state = 'running';
            """,
            ("$id", operationId),
            ("$run", runId),
            ("$owner", owner),
            ("$now", Time(now)),
            ("$lease", Time(leaseExpiresAt)),
            ("$data", data));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CompleteAsync(string operationId, string runId, OperationJournalState outcome, ProviderError? error, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        ArgumentNullException.ThrowIfNull(runId);
        if (outcome is not (OperationJournalState.Succeeded or OperationJournalState.Failed))
        {
            throw new ArgumentException("An operation completes as Succeeded or Failed.", nameof(outcome));
        }

        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(
            connection,
            """
            UPDATE poppy_operations SET state = $state, error = $error, completed_at = $completed, updated_at = $completed
            WHERE operation_id = $id AND run_id = $run AND state = 'running';
            """,
            ("$id", operationId),
            ("$run", runId),
            ("$state", StateText(outcome)),
            ("$error", outcome == OperationJournalState.Failed && error is not null ? CatalogJson.SerializeError(error) : null),
            ("$completed", Time(completedAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OperationJournalEntry>> ClaimExpiredAsync(string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var expired = Time(now);

        // Most rounds of a recovery service find nothing: a plain read (WAL: never blocked, never blocking) answers
        // those without taking the file's write lock. An entry that expires just after is found by the next round.
        using (var probe = SqliteDatabase.Command(
            connection,
            "SELECT EXISTS (SELECT 1 FROM poppy_operations WHERE state = 'running' AND lease_expires_at <= $now);",
            ("$now", expired)))
        {
            if (await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not 1L)
            {
                return [];
            }
        }

        // BEGIN IMMEDIATE takes the file's write lock first, so no other connection or process can claim between the
        // read and the update; a second claimer waits (busy timeout) and then finds these entries leased.
        using var transaction = connection.BeginTransaction(deferred: false);
        var ids = new List<string>();
        using (var select = SqliteDatabase.Command(
            connection,
            transaction,
            """
            SELECT operation_id FROM poppy_operations
            WHERE state = 'running' AND lease_expires_at <= $now
            ORDER BY started_at, operation_id
            LIMIT $max;
            """,
            ("$now", expired),
            ("$max", maxCount)))
        using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }
        }

        var claimed = new List<OperationJournalEntry>(ids.Count);
        foreach (var id in ids)
        {
            using var update = SqliteDatabase.Command(
                connection,
                transaction,
                $"""
                UPDATE poppy_operations SET owner = $owner, lease_expires_at = $lease, claims = claims + 1, updated_at = $now
                WHERE operation_id = $id
                RETURNING {Columns};
                """,
                ("$id", id),
                ("$owner", owner),
                ("$lease", Time(leaseExpiresAt)),
                ("$now", Time(now)));
            using var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(Read(reader));
            }
        }

        transaction.Commit();
        return claimed;
    }

    /// <summary>
    /// Lists entries, newest start first (ties by operation id), reading <see cref="SqliteServiceCatalogOptions.ListPageSize"/>
    /// at a time (keyset paging: each page is its own short read).
    /// </summary>
    /// <param name="query">Filters and the most entries to return; all states, at most 100, when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerable<OperationJournalEntry> ListAsync(OperationJournalQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new OperationJournalQuery();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var left = query.Limit;
        (string StartedAt, string OperationId)? after = null;
        while (left > 0)
        {
            var size = Math.Min(left, _pageSize);
            var page = await ListPageAsync(query, after, size, cancellationToken).ConfigureAwait(false);
            foreach (var (entry, _) in page)
            {
                yield return entry;
            }

            left -= page.Count;
            if (page.Count < size)
            {
                yield break;
            }

            after = (page[^1].StartedAt, page[^1].Entry.OperationId);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> PruneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(
            connection,
            "DELETE FROM poppy_operations WHERE state IN ('succeeded', 'failed') AND completed_at < $before;",
            ("$before", Time(completedBefore)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<(OperationJournalEntry Entry, string StartedAt)>> ListPageAsync(OperationJournalQuery query, (string StartedAt, string OperationId)? after, int limit, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM poppy_operations WHERE 1 = 1");
        var parameters = new List<(string, object?)> { ("$limit", limit) };
        if (query.State is { } state)
        {
            sql.Append(" AND state = $state");
            parameters.Add(("$state", StateText(state)));
        }

        if (query.ServiceId is { } serviceId)
        {
            sql.Append(" AND service_id = $service");
            parameters.Add(("$service", serviceId));
        }

        if (after is { } last)
        {
            sql.Append(" AND (started_at < $afterStart OR (started_at = $afterStart AND operation_id > $afterId))");
            parameters.Add(("$afterStart", last.StartedAt));
            parameters.Add(("$afterId", last.OperationId));
        }

        sql.Append(" ORDER BY started_at DESC, operation_id LIMIT $limit;");
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(connection, sql.ToString(), [.. parameters]);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<(OperationJournalEntry, string)>(Math.Min(limit, 1024));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add((Read(reader), reader.GetString(7)));
        }

        return page;
    }

    private static OperationJournalEntry Read(SqliteDataReader reader) => new()
    {
        OperationId = reader.GetString(0),
        RunId = reader.GetString(1),
        ServiceId = reader.GetString(2),
        Kind = ParseKind(reader.GetString(3)),
        State = ParseState(reader.GetString(4)),
        Owner = reader.GetString(5),
        LeaseExpiresAt = ParseTime(reader.GetString(6)),
        StartedAt = ParseTime(reader.GetString(7)),
        UpdatedAt = ParseTime(reader.GetString(8)),
        CompletedAt = reader.IsDBNull(9) ? null : ParseTime(reader.GetString(9)),
        Claims = reader.GetInt32(10),
        Data = reader.IsDBNull(11) ? null : reader.GetString(11),
        Error = reader.IsDBNull(12) ? null : CatalogJson.DeserializeError(reader.GetString(12)),
    };

    /// <summary>Fixed-width UTC text: compares in SQL as the times compare, and keeps every tick.</summary>
    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc));

    private static string StateText(OperationJournalState state) => state switch
    {
        OperationJournalState.Running => "running",
        OperationJournalState.Succeeded => "succeeded",
        OperationJournalState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a journal state."),
    };

    private static OperationJournalState ParseState(string text) => text switch
    {
        "running" => OperationJournalState.Running,
        "succeeded" => OperationJournalState.Succeeded,
        "failed" => OperationJournalState.Failed,
        _ => throw new InvalidOperationException($"The journal holds an unknown state '{text}'."),
    };

    private static OperationKind ParseKind(string text) => text switch
    {
        "create" => OperationKind.Create,
        "update" => OperationKind.Update,
        "delete" => OperationKind.Delete,
        "purge" => OperationKind.Purge,
        _ => throw new InvalidOperationException($"The journal holds an unknown operation kind '{text}'."),
    };
}
