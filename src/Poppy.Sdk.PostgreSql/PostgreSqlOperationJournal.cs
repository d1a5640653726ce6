using System.Runtime.CompilerServices;
using Npgsql;
using Poppy.Sdk.PostgreSql.Internal;
using Poppy.Sdk.State;
using static Poppy.Sdk.PostgreSql.Internal.PostgreSqlParameters;

namespace Poppy.Sdk.PostgreSql;

/// <summary>
/// A durable <see cref="IOperationJournal"/> on PostgreSQL, shared by many instances of an application: one row per
/// operation in <c>poppy_operations</c>, in the same database (and the same schema versions) as
/// <see cref="PostgreSqlServiceCatalog"/>. Every change is one statement; expired leases are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so each entry goes to exactly one instance and no claimer waits for another.
/// Times are the callers' (stored to the microsecond), never the server's clock.
/// </summary>
public sealed class PostgreSqlOperationJournal : IOperationJournal, IAsyncDisposable, IDisposable
{
    // Read as "FROM poppy_operations AS o" (so RETURNING of the claim's UPDATE … FROM reads the same way); Read() takes them in this order.
    private const string Columns = "o.operation_id, o.run_id, o.service_id, o.kind, o.state, o.owner, o.lease_expires_at, o.started_at, o.updated_at, o.completed_at, o.claims, o.data, o.error::text";

    private readonly PostgreSqlStore _store;
    private readonly PostgreSqlServiceCatalogOptions _options;

    /// <summary>Uses a data source the application owns (and disposes).</summary>
    /// <param name="dataSource">The PostgreSQL data source (its connection pool).</param>
    /// <param name="options">The options (migrations on first use, list page size); defaults when null.</param>
    public PostgreSqlOperationJournal(NpgsqlDataSource dataSource, PostgreSqlServiceCatalogOptions? options = null)
        : this(dataSource, ownsDataSource: false, options)
    {
    }

    /// <summary>Creates (and owns) a data source for a connection string.</summary>
    /// <param name="connectionString">For example <c>Host=db;Database=poppy;Username=poppy;Password=…</c>.</param>
    /// <param name="options">The options (migrations on first use, list page size); defaults when null.</param>
    public PostgreSqlOperationJournal(string connectionString, PostgreSqlServiceCatalogOptions? options = null)
        : this(NpgsqlDataSource.Create(connectionString ?? throw new ArgumentNullException(nameof(connectionString))), ownsDataSource: true, options)
    {
    }

    private PostgreSqlOperationJournal(NpgsqlDataSource dataSource, bool ownsDataSource, PostgreSqlServiceCatalogOptions? options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _options = options ?? new PostgreSqlServiceCatalogOptions();
        _options.Validate();
        _store = new PostgreSqlStore(dataSource, ownsDataSource, _options.ApplyMigrations);
    }

    /// <summary>The data source this journal uses (for tests: the DI registration shares one with the catalog).</summary>
    internal NpgsqlDataSource DataSource => _store.DataSource;

    /// <inheritdoc />
    public async ValueTask StartAsync(OperationJournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        // A new run of the same operation id replaces the row whole: the old run's renewals and completion then match
        // no row (their run id is gone).
        await using var command = _store.Command(
            """
            INSERT INTO poppy_operations (operation_id, run_id, service_id, kind, state, owner, lease_expires_at, started_at, updated_at, completed_at, claims, data, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (operation_id) DO UPDATE SET
                run_id = EXCLUDED.run_id, service_id = EXCLUDED.service_id, kind = EXCLUDED.kind, state = EXCLUDED.state,
                owner = EXCLUDED.owner, lease_expires_at = EXCLUDED.lease_expires_at, started_at = EXCLUDED.started_at,
                updated_at = EXCLUDED.updated_at, completed_at = EXCLUDED.completed_at, claims = EXCLUDED.claims,
                data = EXCLUDED.data, error = EXCLUDED.error
            """,
            Text(entry.OperationId), Text(entry.RunId), Text(entry.ServiceId), Text(OperationId.KindText(entry.Kind)), Text(StateText(entry.State)),
            Text(entry.Owner), Time(entry.LeaseExpiresAt), Time(entry.StartedAt), Time(entry.UpdatedAt), Time(entry.CompletedAt),
            Int32(entry.Claims), Text(entry.Data), Json(entry.Error is null ? null : CatalogJson.SerializeError(entry.Error)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<OperationJournalEntry?> GetAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        await _store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _store.Command($"SELECT {Columns} FROM poppy_operations AS o WHERE operation_id = $1", Text(operationId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RenewAsync(string operationId, string runId, string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, string? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(owner);
        await _store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _store.Command(
            """
            UPDATE poppy_operations SET lease_expires_at = $5, updated_at = $4, data = COALESCE($6, data)
            WHERE operation_id = $1 AND run_id = $2 AND state = 'running' AND owner = $3
            """,
            Text(operationId), Text(runId), Text(owner), Time(now), Time(leaseExpiresAt), Text(data));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CompleteAsync(string operationId, string runId, OperationJournalState outcome, ProviderError? error, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        ArgumentNullException.ThrowIfNull(runId);
        if (outcome == OperationJournalState.Running)
        {
            throw new ArgumentException("An operation completes as Succeeded or Failed.", nameof(outcome));
        }

        var state = StateText(outcome);
        await _store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        // Whoever owns the run now may complete it (the outcome is the same whoever observes it); the state check makes
        // a second completion a no-op.
        await using var command = _store.Command(
            """
            UPDATE poppy_operations SET state = $3, error = $4, completed_at = $5, updated_at = $5
            WHERE operation_id = $1 AND run_id = $2 AND state = 'running'
            """,
            Text(operationId), Text(runId), Text(state),
            Json(outcome == OperationJournalState.Failed && error is not null ? CatalogJson.SerializeError(error) : null), Time(completedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OperationJournalEntry>> ClaimExpiredAsync(string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await _store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        // One statement: the inner SELECT locks up to maxCount expired rows, skipping rows another claimer has locked
        // (it neither waits for them nor claims them twice; a row claimed and committed meanwhile is re-checked against
        // the lease and left out). MATERIALIZED runs that SELECT exactly once: as an IN (…) sub-query the planner may
        // rescan it for each outer row and lock more than maxCount rows.
        await using var command = _store.Command(
            $"""
            WITH expired AS MATERIALIZED (
                SELECT operation_id FROM poppy_operations
                WHERE state = 'running' AND lease_expires_at <= $2
                ORDER BY started_at, operation_id
                LIMIT $4
                FOR UPDATE SKIP LOCKED)
            UPDATE poppy_operations AS o SET owner = $1, lease_expires_at = $3, claims = o.claims + 1, updated_at = $2
            FROM expired WHERE o.operation_id = expired.operation_id
            RETURNING {Columns}
            """,
            Text(owner), Time(now), Time(leaseExpiresAt), Int32(maxCount));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var claimed = new List<OperationJournalEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claimed.Add(Read(reader));
        }

        // RETURNING has no order.
        claimed.Sort(static (a, b) => a.StartedAt != b.StartedAt ? a.StartedAt.CompareTo(b.StartedAt) : string.CompareOrdinal(a.OperationId, b.OperationId));
        return claimed;
    }

    /// <inheritdoc />
    /// <remarks>Reads <see cref="PostgreSqlServiceCatalogOptions.ListPageSize"/> entries per query (keyset paging on start time and id, no cursor held open).</remarks>
    public async IAsyncEnumerable<OperationJournalEntry> ListAsync(OperationJournalQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new OperationJournalQuery();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        await _store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var filter = (query.State is null ? "" : " AND state = $4") + (query.ServiceId is null ? "" : " AND service_id = $5");
        var remaining = query.Limit;
        (DateTimeOffset StartedAt, string OperationId)? after = null;
        while (remaining > 0)
        {
            var size = Math.Min(remaining, _options.ListPageSize);
            // Newest start first, ties by id ascending: the next page starts strictly after the last row in that order.
            // "started_at <= $2" is what the index scan starts from (without it the OR is a filter over every newer
            // row: 15 ms instead of 0.14 ms for a page 57,000 rows deep); the OR then drops the ties already returned.
            var keyset = after is null ? "" : " AND started_at <= $2 AND (started_at < $2 OR operation_id > $3)";
            await using var command = _store.Command(
                $"SELECT {Columns} FROM poppy_operations AS o WHERE true{keyset}{filter} ORDER BY started_at DESC, operation_id LIMIT $1",
                Int32(size), Time(after?.StartedAt), Text(after?.OperationId),
                Text(query.State is { } state ? StateText(state) : null), Text(query.ServiceId));
            var page = new List<OperationJournalEntry>(Math.Min(size, 1024));
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add(Read(reader));
                }
            }

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < size)
            {
                yield break;
            }

            remaining -= page.Count;
            after = (page[^1].StartedAt, page[^1].OperationId);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> PruneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        await _store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _store.Command("DELETE FROM poppy_operations WHERE state <> 'running' AND completed_at < $1", Time(completedBefore));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the data source when this journal created it from a connection string.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public ValueTask DisposeAsync() => _store.DisposeAsync();

    /// <summary>Disposes the data source when this journal created it from a connection string (a container disposed synchronously calls this).</summary>
    public void Dispose() => _store.Dispose();

    private static string StateText(OperationJournalState state) => state switch
    {
        OperationJournalState.Running => "running",
        OperationJournalState.Succeeded => "succeeded",
        OperationJournalState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not an operation journal state."),
    };

    private static OperationJournalState ParseState(string text) => text switch
    {
        "running" => OperationJournalState.Running,
        "succeeded" => OperationJournalState.Succeeded,
        "failed" => OperationJournalState.Failed,
        _ => throw new InvalidOperationException($"poppy_operations holds an unknown state '{text}'."),
    };

    private static OperationKind ParseKind(string text) => text switch
    {
        "create" => OperationKind.Create,
        "update" => OperationKind.Update,
        "delete" => OperationKind.Delete,
        "purge" => OperationKind.Purge,
        _ => throw new InvalidOperationException($"poppy_operations holds an unknown kind '{text}'."),
    };

    private static OperationJournalEntry Read(NpgsqlDataReader reader) => new()
    {
        OperationId = reader.GetString(0),
        RunId = reader.GetString(1),
        ServiceId = reader.GetString(2),
        Kind = ParseKind(reader.GetString(3)),
        State = ParseState(reader.GetString(4)),
        Owner = reader.GetString(5),
        LeaseExpiresAt = reader.GetFieldValue<DateTimeOffset>(6),
        StartedAt = reader.GetFieldValue<DateTimeOffset>(7),
        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(8),
        CompletedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        Claims = reader.GetInt32(10),
        Data = reader.IsDBNull(11) ? null : reader.GetString(11),
        Error = reader.IsDBNull(12) ? null : CatalogJson.DeserializeError(reader.GetString(12)),
    };

}
