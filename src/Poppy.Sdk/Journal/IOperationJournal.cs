namespace Poppy.Sdk;

/// <summary>
/// Where the composite client journals every operation it starts (create, update, delete, purge), so that an
/// operation outlives the process that started it: each entry names its owner instance and carries a lease the
/// owner renews while it drives the operation. When the lease runs out (the owner stopped, or nobody polls), the
/// <see cref="OperationRecoveryService"/> of any instance claims the entry — exactly one instance wins the claim —
/// and finishes the operation from its id. Completed entries are kept for audit until pruned.
/// </summary>
/// <remarks>
/// Times are the callers' (<see cref="TimeProvider"/>), never the store's clock, so every instance must keep its clock
/// within a small part of <see cref="OperationJournalOptions.LeaseDuration"/> of the others. Implementations:
/// <see cref="InMemoryOperationJournal"/> (one process), <c>Poppy.Sdk.Sqlite</c> (one machine) and
/// <c>Poppy.Sdk.PostgreSql</c> (many instances).
/// </remarks>
public interface IOperationJournal
{
    /// <summary>
    /// Records that an operation started: inserts the entry, or replaces the entry with the same
    /// <see cref="OperationJournalEntry.OperationId"/> (a new create, update or delete of a service reuses that
    /// service's operation id; the new <see cref="OperationJournalEntry.RunId"/> makes the earlier run's renewals and
    /// completion no-ops).
    /// </summary>
    /// <param name="entry">The entry, <see cref="OperationJournalState.Running"/>, owned by the caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    ValueTask StartAsync(OperationJournalEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Reads an entry.</summary>
    /// <param name="operationId">The operation id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry, or null when the journal does not hold it (never started here, or pruned).</returns>
    ValueTask<OperationJournalEntry?> GetAsync(string operationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the lease of a running entry, if it is still this run and still owned by <paramref name="owner"/>.
    /// </summary>
    /// <param name="operationId">The operation id.</param>
    /// <param name="runId">The run the caller drives.</param>
    /// <param name="owner">The caller's instance id.</param>
    /// <param name="now">The caller's time (the entry's <see cref="OperationJournalEntry.UpdatedAt"/>).</param>
    /// <param name="leaseExpiresAt">The new end of the lease.</param>
    /// <param name="data">New resume data (<see cref="OperationJournalEntry.Data"/>); null keeps the stored data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the entry completed, was replaced by another run, or was claimed by another instance.</returns>
    ValueTask<bool> RenewAsync(string operationId, string runId, string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, string? data = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a running entry completed, if it is still this run (whichever instance owns it now: the outcome of a run
    /// is the same whoever observes it). A second completion of the same run changes nothing.
    /// </summary>
    /// <param name="operationId">The operation id.</param>
    /// <param name="runId">The run that completed.</param>
    /// <param name="outcome"><see cref="OperationJournalState.Succeeded"/> or <see cref="OperationJournalState.Failed"/>.</param>
    /// <param name="error">Why it failed (null when it succeeded); already free of secrets.</param>
    /// <param name="completedAt">When it completed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether this call completed the entry (false: already completed, replaced, or unknown).</returns>
    ValueTask<bool> CompleteAsync(string operationId, string runId, OperationJournalState outcome, ProviderError? error, DateTimeOffset completedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims running entries whose lease ended at or before <paramref name="now"/>: each becomes owned by
    /// <paramref name="owner"/> with a lease to <paramref name="leaseExpiresAt"/> and one more
    /// <see cref="OperationJournalEntry.Claims"/>. Atomic across every instance sharing the store: an entry is claimed
    /// by exactly one caller, and a caller never waits for entries another caller is claiming.
    /// </summary>
    /// <param name="owner">The claiming instance's id.</param>
    /// <param name="now">The caller's time.</param>
    /// <param name="leaseExpiresAt">The end of the new lease.</param>
    /// <param name="maxCount">The most entries to claim.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed entries, as stored after the claim, oldest start first.</returns>
    ValueTask<IReadOnlyList<OperationJournalEntry>> ClaimExpiredAsync(string owner, DateTimeOffset now, DateTimeOffset leaseExpiresAt, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Lists entries, newest start first (ties by operation id).</summary>
    /// <param name="query">Filters and the most entries to return; all states, at most 100, when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<OperationJournalEntry> ListAsync(OperationJournalQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes completed entries that completed before <paramref name="completedBefore"/>; running entries are never pruned.</summary>
    /// <param name="completedBefore">The cut-off.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many entries were deleted.</returns>
    ValueTask<int> PruneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default);
}
