using System.Runtime.CompilerServices;

namespace Poppy.Sdk;

/// <summary>
/// An <see cref="IOperationJournal"/> in the process: for tests and for clients that want operations looked up and
/// recovered by id within one process. It is lost when the process stops; use the SQLite or PostgreSQL journal for
/// recovery across restarts and instances.
/// </summary>
public sealed class InMemoryOperationJournal : IOperationJournal
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OperationJournalEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>How many entries the journal holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask StartAsync(OperationJournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _entries[entry.OperationId] = entry;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<OperationJournalEntry?> GetAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_entries.GetValueOrDefault(operationId));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewAsync(string operationId, string runId, string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, string? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_entries.TryGetValue(operationId, out var entry) || entry.State != OperationJournalState.Running || entry.RunId != runId || entry.Owner != owner)
            {
                return ValueTask.FromResult(false);
            }

            _entries[operationId] = entry with { LeaseExpiresAt = leaseExpiresAt, Data = data ?? entry.Data, UpdatedAt = now };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(string operationId, string runId, OperationJournalState outcome, ProviderError? error, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        if (outcome == OperationJournalState.Running)
        {
            throw new ArgumentException("An operation completes as Succeeded or Failed.", nameof(outcome));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_entries.TryGetValue(operationId, out var entry) || entry.State != OperationJournalState.Running || entry.RunId != runId)
            {
                return ValueTask.FromResult(false);
            }

            _entries[operationId] = entry with { State = outcome, Error = outcome == OperationJournalState.Failed ? error : null, CompletedAt = completedAt, UpdatedAt = completedAt };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OperationJournalEntry>> ClaimExpiredAsync(string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var expired = _entries.Values
                .Where(e => e.State == OperationJournalState.Running && e.LeaseExpiresAt <= now)
                .OrderBy(e => e.StartedAt).ThenBy(e => e.OperationId, StringComparer.Ordinal)
                .Take(maxCount)
                .ToList();
            var claimed = new List<OperationJournalEntry>(expired.Count);
            foreach (var entry in expired)
            {
                var taken = entry with { Owner = owner, LeaseExpiresAt = leaseExpiresAt, Claims = entry.Claims + 1, UpdatedAt = now };
                _entries[entry.OperationId] = taken;
                claimed.Add(taken);
            }

            return ValueTask.FromResult<IReadOnlyList<OperationJournalEntry>>(claimed);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<OperationJournalEntry> ListAsync(OperationJournalQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new OperationJournalQuery();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        List<OperationJournalEntry> page;
        lock (_lock)
        {
            page = _entries.Values
                .Where(e => (query.State is null || e.State == query.State) && (query.ServiceId is null || e.ServiceId == query.ServiceId))
                .OrderByDescending(e => e.StartedAt).ThenBy(e => e.OperationId, StringComparer.Ordinal)
                .Take(query.Limit)
                .ToList();
        }

        foreach (var entry in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<int> PruneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var old = _entries.Values.Where(e => e.State != OperationJournalState.Running && e.CompletedAt < completedBefore).Select(e => e.OperationId).ToList();
            foreach (var id in old)
            {
                _entries.Remove(id);
            }

            return ValueTask.FromResult(old.Count);
        }
    }
}
