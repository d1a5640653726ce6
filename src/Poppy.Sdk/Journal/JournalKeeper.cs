using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Poppy.Sdk.Internal;

namespace Poppy.Sdk.Journal;

/// <summary>
/// The client's side of the <see cref="IOperationJournal"/>: writes the start of each operation before any vendor call,
/// renews the leases of the runs this instance drives (at most every third of a lease, on polls, and from the recovery
/// service for runs polled within the last lease), and records each run's outcome once.
/// </summary>
internal sealed class JournalKeeper(IOperationJournal journal, OperationJournalOptions options, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<JournalRun, byte> _live = new();

    public IOperationJournal Journal => journal;

    public OperationJournalOptions Options => options;

    public string InstanceId { get; } = options.InstanceId ?? OperationJournalOptions.NewInstanceId();

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    /// <summary>Journals a new run, owned by this instance. Throws when the journal cannot record it: nothing has been sent to a vendor yet.</summary>
    public async Task<JournalRun> StartAsync(string operationId, string serviceId, OperationKind kind, string? data, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = new OperationJournalEntry
        {
            OperationId = operationId,
            RunId = Guid.CreateVersion7(now).ToString("N"),
            ServiceId = serviceId,
            Kind = kind,
            Owner = InstanceId,
            StartedAt = now,
            UpdatedAt = now,
            LeaseExpiresAt = now + options.LeaseDuration,
            Data = data,
        };
        await journal.StartAsync(entry, cancellationToken).ConfigureAwait(false);
        return Track(new JournalRun(this, entry, owned: true, now));
    }

    /// <summary>Follows a run already in the journal: one this instance claimed (owned), or another's it observes (its completion is recorded, its lease never renewed).</summary>
    public JournalRun Attach(OperationJournalEntry entry)
    {
        var owned = entry.Owner == InstanceId;
        var run = new JournalRun(this, entry, owned, time.GetUtcNow());
        return owned ? Track(run) : run;
    }

    /// <summary>Renews the lease of every run this instance drives that was started or polled within the last lease.</summary>
    public async Task RenewLiveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var run in _live.Keys)
        {
            if (now - run.LastActivity > options.LeaseDuration)
            {
                // Nobody polls it any more (its caller gave up on it): let the lease lapse, so a recovery service finishes it.
                _live.TryRemove(run, out _);
                continue;
            }

            await run.RenewAsync(now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Claims expired leases for this instance (one call to the store).</summary>
    public ValueTask<IReadOnlyList<OperationJournalEntry>> ClaimExpiredAsync(int maxCount, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return journal.ClaimExpiredAsync(InstanceId, now, now + options.LeaseDuration, maxCount, cancellationToken);
    }

    internal void Forget(JournalRun run) => _live.TryRemove(run, out _);

    /// <summary>Renews the run again between its polls (after a poll, when a gap longer than a lease left it out).</summary>
    internal JournalRun Track(JournalRun run)
    {
        _live[run] = 0;
        return run;
    }
}

/// <summary>One run of a journaled operation, as this instance sees it.</summary>
internal sealed class JournalRun(JournalKeeper keeper, OperationJournalEntry entry, bool owned, DateTimeOffset now)
{
    private DateTimeOffset _lastRenewal = now;
    private int _completed;

    public string OperationId => entry.OperationId;

    public string RunId => entry.RunId;

    public DateTimeOffset LastActivity { get; private set; } = now;

    public bool Owned { get; private set; } = owned;

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>After each poll: records the outcome once the operation completed, otherwise keeps the lease (renewed at most every third of a lease).</summary>
    public ValueTask AfterPollAsync(bool completed, Exception? error, CancellationToken cancellationToken)
    {
        var now = keeper.Time.GetUtcNow();
        LastActivity = now;
        if (completed)
        {
            return new(CompleteAsync(error));
        }

        if (Owned)
        {
            // Polled again: renewed between polls again, even if a gap longer than a lease had left it out.
            keeper.Track(this);
        }

        return Owned && now - _lastRenewal >= keeper.Options.LeaseDuration / 3 ? new(RenewAsync(now, cancellationToken)) : ValueTask.CompletedTask;
    }

    /// <summary>Extends the lease; a run another instance took over (or a newer run replaced) is no longer renewed.</summary>
    public async Task RenewAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Owned || IsCompleted)
        {
            return;
        }

        try
        {
            _lastRenewal = now;
            if (!await keeper.Journal.RenewAsync(OperationId, RunId, keeper.InstanceId, now, now + keeper.Options.LeaseDuration, null, cancellationToken).ConfigureAwait(false))
            {
                Owned = false;
                keeper.Forget(this);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.JournalWriteFailed(keeper.Logger, "a lease renewal", OperationId, ex.Message);
        }
    }

    /// <summary>Records the outcome (once per run, whoever observes it); a journal failure is logged, never thrown into the operation.</summary>
    public async Task CompleteAsync(Exception? error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        keeper.Forget(this);
        var outcome = error is null ? OperationJournalState.Succeeded : OperationJournalState.Failed;
        try
        {
            if (await keeper.Journal.CompleteAsync(OperationId, RunId, outcome, error is null ? null : ProviderError.FromException(error), keeper.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false))
            {
                Log.JournaledOperationFinished(keeper.Logger, OperationId, outcome == OperationJournalState.Succeeded ? "succeeded" : "failed");
            }
        }
        catch (Exception ex)
        {
            Log.JournalWriteFailed(keeper.Logger, "the outcome", OperationId, ex.Message);
        }
    }
}
