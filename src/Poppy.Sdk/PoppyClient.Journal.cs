using System.Runtime.CompilerServices;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Journal;
using Poppy.Sdk.Models;
using Poppy.Sdk.Operations;
using Poppy.Sdk.Purge;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk;

/// <content>The operation journal: journaling each started operation, looking operations up by id, and recovering those whose owner stopped.</content>
public partial class PoppyClient
{
    /// <summary>The journal every started operation is recorded in; null when the client has none.</summary>
    public virtual IOperationJournal? Journal => _journal?.Journal;

    /// <summary>This instance's id in the journal (the owner of the operations it drives); null without a journal.</summary>
    public virtual string? InstanceId => _journal?.InstanceId;

    /// <summary>Reads an operation from the journal, whichever instance started or finished it.</summary>
    /// <param name="operationId">The operation's <see cref="CdnOperation.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry, or null when the journal does not hold it (never started, or pruned).</returns>
    /// <exception cref="InvalidOperationException">The client has no journal.</exception>
    public virtual async Task<OperationJournalEntry?> GetOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operationId);
        return await RequireJournal().Journal.GetAsync(operationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists journaled operations, newest first.</summary>
    /// <param name="query">Filters (state, service) and the most entries; the latest 100 of every state when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="InvalidOperationException">The client has no journal.</exception>
    public virtual IAsyncEnumerable<OperationJournalEntry> ListOperationsAsync(OperationJournalQuery? query = null, CancellationToken cancellationToken = default) =>
        RequireJournal().Journal.ListAsync(query, cancellationToken);

    /// <summary>
    /// Waits until a journaled operation finishes, wherever it runs: the instance that started it, or the instance
    /// that took it over after that one stopped. This only reads the journal (it never drives the operation), so it
    /// is safe from any number of instances.
    /// </summary>
    /// <param name="operationId">The operation's <see cref="CdnOperation.Id"/>.</param>
    /// <param name="pollingInterval">How often the journal is read; 2 s when null.</param>
    /// <param name="cancellationToken">Cancels the wait (not the operation).</param>
    /// <returns>The entry, <see cref="OperationJournalState.Succeeded"/> or <see cref="OperationJournalState.Failed"/> (with its <see cref="OperationJournalEntry.Error"/>).</returns>
    /// <exception cref="ArgumentException">The journal does not hold the operation.</exception>
    /// <exception cref="InvalidOperationException">The client has no journal.</exception>
    public virtual async Task<OperationJournalEntry> WaitForOperationAsync(string operationId, TimeSpan? pollingInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operationId);
        var journal = RequireJournal().Journal;
        var interval = pollingInterval ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(pollingInterval));
        while (true)
        {
            var entry = await journal.GetAsync(operationId, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"The journal holds no operation '{operationId}' (never started with a journal, or pruned after its retention).", nameof(operationId));
            if (entry.State != OperationJournalState.Running)
            {
                return entry;
            }

            await Task.Delay(interval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes over operations whose lease expired (their owner stopped, or nobody polled them for a lease) and resumes
    /// each from its id: a create or update resumes the providers' deployments recorded in the catalog and starts the
    /// providers it never reached (a provider's create finds the stamped resource, so nothing is duplicated); a delete
    /// resumes or restarts each provider's delete; a purge resends its batches under the same purge id. Each entry is
    /// claimed by exactly one instance. Poll or wait on the returned operations: that renews their leases and records
    /// their outcomes. <see cref="OperationRecoveryService"/> calls this on a timer and waits on each.
    /// </summary>
    /// <param name="maxCount">The most operations to take over; <see cref="OperationJournalOptions.MaxConcurrentRecoveries"/> when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The resumed operations (an entry that cannot be resumed is recorded as failed, or left to lapse again when the failure is transient).</returns>
    /// <exception cref="InvalidOperationException">The client has no journal.</exception>
    public virtual async Task<IReadOnlyList<CdnOperation>> RecoverExpiredOperationsAsync(int? maxCount = null, CancellationToken cancellationToken = default)
    {
        var keeper = RequireJournal();
        var claimed = await keeper.ClaimExpiredAsync(maxCount ?? keeper.Options.MaxConcurrentRecoveries, cancellationToken).ConfigureAwait(false);
        var operations = new List<CdnOperation>(claimed.Count);
        foreach (var entry in claimed)
        {
            if (await RecoverAsync(keeper, entry, cancellationToken).ConfigureAwait(false) is { } operation)
            {
                operations.Add(operation);
            }
        }

        return operations;
    }

    /// <summary>Renews the leases of the operations this instance drives (those polled within the last lease).</summary>
    internal Task RenewLeasesAsync(CancellationToken cancellationToken) => _journal?.RenewLiveAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Deletes journal entries completed longer ago than the retention.</summary>
    internal async Task PruneJournalAsync(CancellationToken cancellationToken)
    {
        if (_journal is { } keeper)
        {
            var pruned = await keeper.Journal.PruneAsync(_timeProvider.GetUtcNow() - keeper.Options.Retention, cancellationToken).ConfigureAwait(false);
            if (pruned > 0)
            {
                Log.JournalPruned(_logger, pruned);
            }
        }
    }

    /// <summary>The journal options in force (null without a journal).</summary>
    internal OperationJournalOptions? JournalOptions => _journal?.Options;

    /// <summary>Journals a service operation before it touches any vendor, and attaches the run to the operation it starts.</summary>
    /// <remarks>
    /// A create or update journals the spec it converges to (<see cref="ServiceJournalData"/>), so another instance can
    /// finish it; a delete journals nothing more than its id.
    /// </remarks>
    private async Task<TOperation> JournaledAsync<TOperation>(string serviceId, OperationKind kind, ServiceSpec? spec, Func<Task<TOperation>> start, CancellationToken cancellationToken)
        where TOperation : CdnOperation, IJournaledOperation
    {
        if (_journal is null)
        {
            return await start().ConfigureAwait(false);
        }

        var run = await _journal.StartAsync(new OperationId(ServiceOperation.IdProvider, kind, serviceId).ToString(), serviceId, kind, spec is null ? null : ServiceJournalData.Write(spec), cancellationToken).ConfigureAwait(false);
        TOperation operation;
        try
        {
            operation = await start().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await run.CompleteAsync(ex).ConfigureAwait(false);
            throw;
        }

        operation.JournalRun = run;
        return operation;
    }

    /// <summary>Journals a purge before its first batch is sent (its data lets another instance resend what this one could not).</summary>
    private async Task JournalPurgeAsync(PurgeJob job, IReadOnlyList<IReadOnlyList<string>?>? queueItems, CancellationToken cancellationToken)
    {
        if (_journal is null)
        {
            return;
        }

        var queues = new PurgeJournalQueue[job.Queues.Length];
        for (var i = 0; i < queues.Length; i++)
        {
            queues[i] = new PurgeJournalQueue(job.Queues[i].ProviderName, queueItems?[i]);
        }

        var data = new PurgeJournalData(job.PurgeId, job.Request, job.WaitForVendor, queues).Write();
        job.JournalRun = await _journal.StartAsync(job.Id, job.ServiceId, OperationKind.Purge, data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The journal's run of an operation in progress, for a caller who resumes it by id (null without a journal, or when it is not running).</summary>
    private async Task<JournalRun?> ObserveJournalRunAsync(string operationId, CancellationToken cancellationToken)
    {
        if (_journal is null)
        {
            return null;
        }

        var entry = await _journal.Journal.GetAsync(operationId, cancellationToken).ConfigureAwait(false);
        return entry is { State: OperationJournalState.Running } ? _journal.Attach(entry) : null;
    }

    private JournalKeeper RequireJournal() =>
        _journal ?? throw new InvalidOperationException("This client has no operation journal: give one to the constructor, or register a durable store (UseSqliteCatalog, UsePostgreSqlCatalog) with AddPoppy.");

    /// <summary>Resumes one claimed entry; records it failed when it cannot be resumed for a permanent reason.</summary>
    private async Task<CdnOperation?> RecoverAsync(JournalKeeper keeper, OperationJournalEntry entry, CancellationToken cancellationToken)
    {
        Log.OperationClaimed(_logger, entry.OperationId, "a stopped owner", entry.LeaseExpiresAt, entry.Claims);
        var run = keeper.Attach(entry);
        try
        {
            if (entry.Claims > keeper.Options.MaxTakeovers)
            {
                throw new InvalidOperationException($"Operation '{entry.OperationId}' was taken over {entry.Claims - 1} times without finishing; recovery gives up on it (Journal:MaxTakeovers = {keeper.Options.MaxTakeovers}).");
            }

            CdnOperation operation;
            if (entry.Kind == OperationKind.Purge)
            {
                var job = await RecoverPurgeAsync(entry, cancellationToken).ConfigureAwait(false);
                job.JournalRun = run;
                Remember(job);
                operation = new PurgeOperation(job, _timeProvider);
            }
            else
            {
                operation = await RecoverServiceOperationAsync(entry, cancellationToken).ConfigureAwait(false);
                ((IJournaledOperation)operation).JournalRun = run;
                if (operation.HasCompleted)
                {
                    await run.CompleteAsync(operation.Error).ConfigureAwait(false);
                }
            }

            return operation;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (ResilientCdnProviderTransient(ex))
            {
                // A provider or the catalog is unreachable now: leave the lease to lapse, and try again later.
                Log.RecoveryFailed(_logger, entry.OperationId, ex.Message);
                return null;
            }

            await run.CompleteAsync(ex).ConfigureAwait(false);
            return null;
        }
    }

    private static bool ResilientCdnProviderTransient(Exception ex) => Resilience.ResilientCdnProvider.IsTransient(ex);

    /// <summary>A create, update or delete, rebuilt from the catalog: what is in flight is resumed, what was never started is started.</summary>
    private async Task<CdnOperation> RecoverServiceOperationAsync(OperationJournalEntry entry, CancellationToken cancellationToken)
    {
        var serviceId = entry.ServiceId;
        var service = await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            // A delete that removed the entry before its outcome was journaled is done; any other kind has nothing left to finish.
            return entry.Kind == OperationKind.Delete ? DeleteServiceOperation.NothingToDelete(serviceId) : throw new CdnServiceNotFoundException(serviceId);
        }

        var runs = new List<ProviderRun>();
        if (entry.Kind == OperationKind.Delete)
        {
            foreach (var name in service.Providers.Select(p => p.Provider).Union(service.PendingCleanup, StringComparer.Ordinal))
            {
                var record = service.Providers.FirstOrDefault(p => p.Provider == name);
                runs.Add(record is { OperationId: not null, Status: ProviderStatus.DeleteInProgress }
                    ? await ResumeRunAsync(record, OperationKind.Delete, cancellationToken).ConfigureAwait(false)
                    : await _coordinator.StartDeleteAsync(service, name, cancellationToken).ConfigureAwait(false));
            }

            return new DeleteServiceOperation(_coordinator, serviceId, runs);
        }

        // The spec the operation converges to: the journaled one (the owner may have stopped before saving it), else
        // the catalog's (an entry journaled without one).
        var spec = ServiceJournalData.Read(entry.Data) ?? service.Spec;
        if (ServiceSpecComparer.Compare(spec, service.Spec).Count > 0)
        {
            service = await _coordinator.Writer.UpdateAsync(serviceId, s => s is null ? null : s with { Spec = spec }, cancellationToken).ConfigureAwait(false)
                ?? throw new CdnServiceNotFoundException(serviceId);
        }

        if (!_options.Flavors.TryGetValue(service.Spec.FlavorId, out var flavor))
        {
            throw new CdnValidationException([new ValidationProblem("/flavor_id", $"Flavor '{service.Spec.FlavorId}' of service '{serviceId}' is not configured on this instance; it cannot resume the operation.")]);
        }

        if (flavor.Mode == FlavorMode.Failover && service.Providers.Count == 0)
        {
            // Stopped before any provider was reached: place it now (a provider's create finds a resource it stamped).
            var cleanups = new List<ProviderRun>();
            var placed = await _coordinator.PlaceWithFailoverAsync(serviceId, spec, flavor.Providers, 0, [], cleanups, cancellationToken).ConfigureAwait(false);
            return new ServiceOperation(_coordinator, serviceId, entry.Kind, [placed, .. cleanups]);
        }

        foreach (var details in service.Providers)
        {
            // In flight: resumed from its operation id. Otherwise the record may predate this run (the owner stopped
            // before reaching the provider, or between the vendor's answer and the record): settled only when the vendor
            // holds the spec, deployed; else converged again (a create finds its stamp, an update sends the full spec).
            runs.Add(details.OperationId is not null || !_providers.ContainsKey(details.Provider) || await HoldsSpecAsync(details, spec, cancellationToken).ConfigureAwait(false)
                ? await ResumeRunAsync(details, entry.Kind, cancellationToken).ConfigureAwait(false)
                : await _coordinator.StartOnProviderAsync(service, details.Provider, spec, cancellationToken).ConfigureAwait(false));
        }

        if (flavor.Mode == FlavorMode.Mirror)
        {
            foreach (var name in flavor.Providers.Where(n => !service.Providers.Any(p => p.Provider == n)))
            {
                // Stopped before this provider was reached: start it now.
                runs.Add(await _coordinator.StartOnProviderAsync(service, name, spec, cancellationToken).ConfigureAwait(false));
            }
        }

        return new ServiceOperation(_coordinator, serviceId, entry.Kind, runs);
    }

    /// <summary>Whether a provider whose record shows nothing in flight holds <paramref name="spec"/>, deployed (read back from the vendor).</summary>
    private async Task<bool> HoldsSpecAsync(ProviderServiceDetails details, ServiceSpec spec, CancellationToken cancellationToken)
    {
        if (details.Status != ProviderStatus.Deployed || details.VendorServiceId is not { } vendorId)
        {
            return false;
        }

        var held = await _coordinator.Provider(details.Provider).GetServiceAsync(new ServiceReference(details.ServiceId, vendorId), cancellationToken).ConfigureAwait(false);
        return held is { Details.Status: ProviderStatus.Deployed } && ServiceSpecComparer.Compare(spec, held.Spec).Count == 0;
    }

    /// <summary>A purge, rebuilt from its journal data under the same purge id (so the vendors' idempotency keys match).</summary>
    private async Task<PurgeJob> RecoverPurgeAsync(OperationJournalEntry entry, CancellationToken cancellationToken)
    {
        var data = PurgeJournalData.Read(entry.Data ?? throw new FormatException($"The journal entry of purge '{entry.OperationId}' has no data to resume it from."));
        var service = await GetRequiredAsync(entry.ServiceId, cancellationToken).ConfigureAwait(false);
        var queues = new ProviderPurgeQueue[data.Queues.Count];
        for (var i = 0; i < queues.Length; i++)
        {
            var share = data.Queues[i];
            var holder = service.Providers.FirstOrDefault(p => p.Provider == share.Provider && p.VendorServiceId is not null && _providers.ContainsKey(p.Provider));
            queues[i] = holder is null
                ? new ProviderPurgeQueue(share.Provider, [new ValidationProblem("/providers", $"Provider '{share.Provider}' no longer holds service '{entry.ServiceId}' (or is not registered here); its share of the purge was not resumed.")])
                : Queue(entry.ServiceId, holder, share.Items is null ? data.Request : data.Request with { Items = share.Items }, data.PurgeId);
        }

        return new PurgeJob(data.PurgeId, entry.ServiceId, data.Request, queues, data.WaitForVendor, _timeProvider);
    }
}
