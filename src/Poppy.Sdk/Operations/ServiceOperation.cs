using System.Text;
using Poppy.Sdk.Operations;
using Poppy.Sdk.Resilience;

namespace Poppy.Sdk;

/// <summary>
/// Work on one service across its providers: a create, update (<see cref="ServiceOperation"/>) or delete
/// (<see cref="DeleteServiceOperation"/>). It completes when every provider has finished; polls pass each
/// provider's resilience layer. In failover mode, a first deployment that fails transiently moves to the next
/// provider while polling (an update never moves a service).
/// </summary>
/// <typeparam name="TResult">What the operation completes with.</typeparam>
public abstract class ServiceOperation<TResult> : CdnOperation<TResult>, IJournaledOperation
{
    /// <summary>The provider name the composite client uses in its operation ids.</summary>
    internal const string IdProvider = "poppy";

    private const int MaxConsecutivePollFailures = 5;
    private readonly IServiceOperationHost? _host;
    private readonly List<ProviderRun> _runs;

    private protected ServiceOperation(IServiceOperationHost host, string serviceId, OperationKind kind, IEnumerable<ProviderRun> runs)
        : base(host.Time)
    {
        _host = host;
        ServiceId = serviceId;
        Kind = kind;
        _runs = [.. runs];
        Id = new OperationId(IdProvider, kind, serviceId).ToString();
    }

    private protected ServiceOperation(string serviceId, OperationKind kind, TResult value)
    {
        ServiceId = serviceId;
        Kind = kind;
        _runs = [];
        Id = new OperationId(IdProvider, kind, serviceId).ToString();
        SetState(OperationState<TResult>.Success(value));
    }

    /// <inheritdoc />
    public override string Id { get; }

    /// <summary>The Poppy service id.</summary>
    public string ServiceId { get; }

    /// <summary>Create, update or delete.</summary>
    public OperationKind Kind { get; }

    /// <summary>The providers involved, in order.</summary>
    public IReadOnlyList<string> Providers => _runs.Select(r => r.Provider).ToList();

    /// <inheritdoc />
    public override TimeSpan DefaultPollingInterval
    {
        get
        {
            var interval = TimeSpan.MaxValue;
            foreach (var run in _runs)
            {
                if (run.Operation is { } op && op.DefaultPollingInterval < interval)
                {
                    interval = op.DefaultPollingInterval;
                }
            }

            return interval == TimeSpan.MaxValue ? base.DefaultPollingInterval : interval;
        }
    }

    /// <inheritdoc />
    Journal.JournalRun? IJournaledOperation.JournalRun { get; set; }

    /// <inheritdoc />
    protected sealed override async ValueTask<OperationState<TResult>> PollAsync(CancellationToken cancellationToken)
    {
        var state = await PollRunsAsync(cancellationToken).ConfigureAwait(false);
        if (((IJournaledOperation)this).JournalRun is { } journal)
        {
            await journal.AfterPollAsync(state.IsCompleted, state.Error, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    private async ValueTask<OperationState<TResult>> PollRunsAsync(CancellationToken cancellationToken)
    {
        var host = _host!;
        TimeSpan? retryAfter = null;
        var progress = new StringBuilder();
        for (var i = 0; i < _runs.Count; i++)
        {
            var run = _runs[i];
            if (!run.Done)
            {
                var next = await PollRunAsync(host, run, cancellationToken).ConfigureAwait(false);
                run = _runs[i] = next[0];
                for (var j = 1; j < next.Count; j++)
                {
                    _runs.Add(next[j]);
                }
            }

            if (progress.Length > 0)
            {
                progress.Append("; ");
            }

            progress.Append(run.Provider).Append(run.IsCleanup ? " (clean-up)" : "").Append(": ")
                .Append(run.Done ? run.Error is null ? "done" : run.IsCleanup ? "failed, pending clean-up" : "failed" : run.Operation?.StatusDescription ?? "pending");
            if (!run.Done && run.Operation?.SuggestedPollingDelay is { } delay && (retryAfter is null || delay < retryAfter))
            {
                retryAfter = delay;
            }
        }

        if (_runs.Any(r => !r.Done))
        {
            return OperationState<TResult>.Pending(progress.ToString(), retryAfter);
        }

        var failures = _runs.Where(r => r.Error is not null && !r.IsCleanup).Select(r => new ProviderAttempt(r.Provider, r.Error!)).ToList();
        return await CompleteAsync(host, failures, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Once every provider has finished: the outcome, from the providers' failures (clean-up runs excluded).</summary>
    private protected abstract ValueTask<OperationState<TResult>> CompleteAsync(IServiceOperationHost host, IReadOnlyList<ProviderAttempt> failures, CancellationToken cancellationToken);

    /// <summary>The runs that did the work (clean-up runs excluded).</summary>
    private protected IEnumerable<ProviderRun> WorkRuns => _runs.Where(r => !r.IsCleanup);

    /// <summary>The operation's failure, tagged with the service and this operation's id.</summary>
    private protected OperationState<TResult> Failed(Exception error)
    {
        if (error is CdnException cdn)
        {
            cdn.ServiceId ??= ServiceId;
            cdn.OperationId ??= Id;
        }

        return OperationState<TResult>.Failure(error);
    }

    private async Task<IReadOnlyList<ProviderRun>> PollRunAsync(IServiceOperationHost host, ProviderRun run, CancellationToken cancellationToken)
    {
        var op = run.Operation!;
        bool done;
        try
        {
            done = await op.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
            run.PollFailures = 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failed poll is not a failed deployment: try again, a few times.
            if (++run.PollFailures < MaxConsecutivePollFailures)
            {
                return [run];
            }

            return await host.OnFailedAsync(ServiceId, run, ex, cancellationToken).ConfigureAwait(false);
        }

        if (!done)
        {
            return [run];
        }

        if (op.Error is { } error)
        {
            return await host.OnFailedAsync(ServiceId, run, error, cancellationToken).ConfigureAwait(false);
        }

        await host.OnSucceededAsync(ServiceId, run, cancellationToken).ConfigureAwait(false);
        run.Done = true;
        return [run];
    }
}

/// <summary>An operation that reports its polls and outcome to a journal run.</summary>
internal interface IJournaledOperation
{
    /// <summary>The journal run this operation reports to (null without a journal).</summary>
    Journal.JournalRun? JournalRun { get; set; }
}

/// <summary>
/// A create or update across a service's providers. It completes with the service as the catalog records it
/// (check <see cref="CdnService.Status"/> and each provider's error: in mirror mode a partial failure leaves the
/// successful providers in place); it fails with <see cref="CdnAllProvidersFailedException"/> when no provider succeeded.
/// </summary>
public sealed class ServiceOperation : ServiceOperation<CdnService>
{
    internal ServiceOperation(IServiceOperationHost host, string serviceId, OperationKind kind, IEnumerable<ProviderRun> runs)
        : base(host, serviceId, kind, runs)
    {
    }

    private protected override async ValueTask<OperationState<CdnService>> CompleteAsync(IServiceOperationHost host, IReadOnlyList<ProviderAttempt> failures, CancellationToken cancellationToken)
    {
        var work = WorkRuns.ToList();
        if (work.Count > 0 && failures.Count == work.Count)
        {
            var single = work.Count == 1 ? work[0] : null;
            if (single?.Failover is { } failover)
            {
                var attempts = failover.Attempts.Concat(failures).DistinctBy(a => a.Exception).ToList();
                return Failed(ResilientCdnProvider.IsTransient(single.Error!) ? new CdnAllProvidersFailedException(OperationId.KindText(Kind), attempts) : single.Error!);
            }

            return Failed(new CdnAllProvidersFailedException(OperationId.KindText(Kind), failures));
        }

        // The entry exists until a delete removes it; a delete racing this operation leaves nothing to return.
        return await host.Catalog.GetAsync(ServiceId, cancellationToken).ConfigureAwait(false) is { } service
            ? OperationState<CdnService>.Success(service, "completed")
            : Failed(new CdnServiceNotFoundException(ServiceId));
    }
}

/// <summary>What a completed delete removed.</summary>
/// <param name="ServiceId">The Poppy service id.</param>
/// <param name="Providers">The providers the service was deleted from (empty when the catalog did not know the service).</param>
public sealed record ServiceDeletion(string ServiceId, IReadOnlyList<string> Providers);

/// <summary>
/// A delete across every provider that holds the service (and providers recorded for clean-up). It completes with a
/// <see cref="ServiceDeletion"/> once the service is gone everywhere and its catalog entry is removed; it fails with
/// <see cref="CdnAllProvidersFailedException"/> naming each provider that could not delete (the entry then stays, failed).
/// </summary>
public sealed class DeleteServiceOperation : ServiceOperation<ServiceDeletion>
{
    internal DeleteServiceOperation(IServiceOperationHost host, string serviceId, IEnumerable<ProviderRun> runs)
        : base(host, serviceId, OperationKind.Delete, runs)
    {
    }

    private DeleteServiceOperation(string serviceId)
        : base(serviceId, OperationKind.Delete, new ServiceDeletion(serviceId, []))
    {
    }

    /// <summary>A delete of a service the catalog does not know: complete at once.</summary>
    internal static DeleteServiceOperation NothingToDelete(string serviceId) => new(serviceId);

    private protected override async ValueTask<OperationState<ServiceDeletion>> CompleteAsync(IServiceOperationHost host, IReadOnlyList<ProviderAttempt> failures, CancellationToken cancellationToken)
    {
        if (failures.Count > 0)
        {
            return Failed(new CdnAllProvidersFailedException("delete", failures));
        }

        await host.OnDeleteFinishedAsync(ServiceId, cancellationToken).ConfigureAwait(false);
        return OperationState<ServiceDeletion>.Success(new ServiceDeletion(ServiceId, [.. Providers.Distinct(StringComparer.Ordinal)]), "deleted");
    }
}
