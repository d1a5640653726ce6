using System.Text;
using Poppy.Sdk.Operations;
using Poppy.Sdk.Resilience;

namespace Poppy.Sdk;

/// <summary>
/// A create, update or delete across a service's providers. It completes when every provider has
/// finished. A create or update completes with the service (check <see cref="CdnService.Status"/>
/// and each provider's error: in mirror mode a partial failure leaves the successful providers in
/// place); it fails with <see cref="CdnAllProvidersFailedException"/> when no provider succeeded.
/// A delete completes with null once the service is gone everywhere. In failover mode, a first deployment
/// that fails transiently moves to the next provider while polling (an update never moves a service).
/// Polls pass each provider's resilience layer.
/// </summary>
public sealed class ServiceOperation : CdnOperation<CdnService?>
{
    /// <summary>The provider name the composite client uses in its operation ids.</summary>
    internal const string IdProvider = "poppy";

    private const int MaxConsecutivePollFailures = 5;
    private readonly IServiceOperationHost? _host;
    private readonly List<ProviderRun> _runs;

    internal ServiceOperation(IServiceOperationHost host, string serviceId, OperationKind kind, IEnumerable<ProviderRun> runs)
        : base(host.Time)
    {
        _host = host;
        ServiceId = serviceId;
        Kind = kind;
        _runs = [.. runs];
        Id = new OperationId(IdProvider, kind, serviceId).ToString();
    }

    private ServiceOperation(string serviceId, OperationKind kind, CdnService? value)
    {
        ServiceId = serviceId;
        Kind = kind;
        _runs = [];
        Id = new OperationId(IdProvider, kind, serviceId).ToString();
        SetState(OperationState<CdnService?>.Success(value));
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

    internal static ServiceOperation Completed(string serviceId, OperationKind kind, CdnService? value) => new(serviceId, kind, value);

    /// <inheritdoc />
    protected override async ValueTask<OperationState<CdnService?>> PollAsync(CancellationToken cancellationToken)
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
            return OperationState<CdnService?>.Pending(progress.ToString(), retryAfter);
        }

        var failures = _runs.Where(r => r.Error is not null && !r.IsCleanup).Select(r => new ProviderAttempt(r.Provider, r.Error!)).ToList();
        var work = _runs.Count(r => !r.IsCleanup);
        if (Kind == OperationKind.Delete)
        {
            if (failures.Count == 0)
            {
                await host.OnDeleteFinishedAsync(ServiceId, cancellationToken).ConfigureAwait(false);
                return OperationState<CdnService?>.Success(null, "deleted");
            }

            return Failed(new CdnAllProvidersFailedException("delete", failures));
        }

        if (work > 0 && failures.Count == work)
        {
            var single = work == 1 ? _runs.First(r => !r.IsCleanup) : null;
            if (single?.Failover is { } failover)
            {
                var attempts = failover.Attempts.Concat(failures).DistinctBy(a => a.Exception).ToList();
                return Failed(ResilientCdnProvider.IsTransient(single.Error!) ? new CdnAllProvidersFailedException(OperationId.KindText(Kind), attempts) : single.Error!);
            }

            return Failed(new CdnAllProvidersFailedException(OperationId.KindText(Kind), failures));
        }

        return OperationState<CdnService?>.Success(await host.Catalog.GetAsync(ServiceId, cancellationToken).ConfigureAwait(false), "completed");
    }

    /// <summary>The operation's failure, tagged with the service and this operation's id.</summary>
    private OperationState<CdnService?> Failed(Exception error)
    {
        if (error is CdnException cdn)
        {
            cdn.ServiceId ??= ServiceId;
            cdn.OperationId ??= Id;
        }

        return OperationState<CdnService?>.Failure(error);
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
