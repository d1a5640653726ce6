using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Catalog;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Models;
using Poppy.Sdk.Operations;
using Poppy.Sdk.Placement;
using Poppy.Sdk.Purge;
using Poppy.Sdk.Resilience;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk;

/// <content>Purges: operations that split, pace and queue vendor batches; retries of what failed; resuming by id.</content>
public partial class PoppyClient
{
    /// <summary>
    /// Starts a purge of a service on the providers holding it (or those named in <paramref name="options"/>): the
    /// request is split into each vendor's batches, paced by the vendor account's budget and queued for as long as
    /// the vendor's in-flight limits require. The first due batches are submitted before this returns; the rest go
    /// as the operation is polled or waited on. A kind a provider lacks is reported as unsupported for that provider.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="request">What to purge.</param>
    /// <param name="options">Which providers, and whether to wait for the vendors to finish; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start (batches already accepted stay accepted).</param>
    /// <returns>The purge operation.</returns>
    /// <exception cref="CdnValidationException">The request is malformed, or names a provider that does not hold the service.</exception>
    /// <exception cref="CdnServiceNotFoundException">The service is not in the catalog.</exception>
    /// <exception cref="CdnRequestFailedException">No provider holds the service yet (<see cref="CdnErrorCode.Conflict"/>).</exception>
    public virtual async Task<PurgeOperation> StartPurgeAsync(string serviceId, PurgeRequest request, PurgeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var job = await CreateJobAsync(serviceId, request, options, cancellationToken).ConfigureAwait(false);
        await JournalPurgeAsync(job, null, cancellationToken).ConfigureAwait(false);
        Remember(job);
        var operation = new PurgeOperation(job, _timeProvider);
        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        if (operation.HasCompleted)
        {
            LogPurged(job);
        }

        return operation;
    }

    /// <summary>Purges a service and waits until every batch is accepted (or failed for good): <see cref="StartPurgeAsync"/>, then wait.</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="request">What to purge.</param>
    /// <param name="cancellationToken">Cancels the wait (batches already accepted stay accepted).</param>
    /// <returns>The per-provider report.</returns>
    /// <exception cref="CdnValidationException">The request itself is malformed.</exception>
    /// <exception cref="CdnRequestFailedException">The service is not in the catalog, or no provider holds it yet.</exception>
    public virtual async Task<PurgeReport> PurgeAsync(string serviceId, PurgeRequest request, CancellationToken cancellationToken = default)
    {
        // StartPurgeAsync + WaitForCompletionAsync, without the operation object: its id is never handed out here, so
        // the job is not registered for resumption, and the loop polls the job exactly as the operation would (at the
        // job's hint, else PurgeOperation's one-second interval). This keeps the common one-batch purge lean (DESIGN §8).
        var job = await CreateJobAsync(serviceId, request, null, cancellationToken).ConfigureAwait(false);
        await JournalPurgeAsync(job, null, cancellationToken).ConfigureAwait(false);
        await job.StepUnsharedAsync(cancellationToken).ConfigureAwait(false);
        var state = job.State();
        while (!state.IsCompleted)
        {
            if (job.JournalRun is { } run)
            {
                await run.AfterPollAsync(completed: false, null, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(state.RetryAfter ?? PurgeOperation.PollingInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
            await job.StepUnsharedAsync(cancellationToken).ConfigureAwait(false);
            state = job.State();
        }

        if (job.JournalRun is { } finished)
        {
            await finished.CompleteAsync(state.Error).ConfigureAwait(false);
        }

        LogPurged(job);
        if (state.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        return state.Value!;
    }

    /// <summary>
    /// Retries exactly what failed in a purge: the items of each failed batch, on the provider where it failed — providers
    /// that accepted everything are not purged again.
    /// </summary>
    /// <param name="report">The report of the earlier purge.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A purge operation over the failed items only.</returns>
    /// <exception cref="ArgumentException">Nothing in the report failed.</exception>
    /// <exception cref="CdnRequestFailedException">The service is no longer in the catalog, or a provider no longer holds it.</exception>
    public virtual async Task<PurgeOperation> RetryPurgeAsync(PurgeReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var failed = report.Providers.Where(p => p.Failed.Count > 0).ToList();
        if (failed.Count == 0)
        {
            throw new ArgumentException("Nothing in this purge failed: there is nothing to retry.", nameof(report));
        }

        var service = await GetRequiredAsync(report.ServiceId, cancellationToken).ConfigureAwait(false);
        var purgeId = Guid.CreateVersion7(_timeProvider.GetUtcNow()); // formatted only where used (idempotency keys, the job id)
        var queues = new ProviderPurgeQueue[failed.Count];
        var items = new IReadOnlyList<string>?[failed.Count];
        for (var i = 0; i < failed.Count; i++)
        {
            var provider = failed[i];
            var holder = service.Providers.FirstOrDefault(p => p.Provider == provider.Provider && p.VendorServiceId is not null)
                ?? throw new CdnRequestFailedException("catalog", $"Provider '{provider.Provider}' no longer holds service '{report.ServiceId}'.", 409, CdnErrorCode.Conflict, isTransient: false) { ServiceId = report.ServiceId };
            var request = report.Request.Kind == PurgeKind.All ? report.Request : report.Request with { Items = provider.Failed.SelectMany(b => b.Items).ToList() };
            items[i] = report.Request.Kind == PurgeKind.All ? null : request.Items;
            queues[i] = Queue(report.ServiceId, holder, request, purgeId);
        }

        var job = new PurgeJob(purgeId, report.ServiceId, report.Request, queues, false, _timeProvider);
        await JournalPurgeAsync(job, items, cancellationToken).ConfigureAwait(false);
        Remember(job);
        var operation = new PurgeOperation(job, _timeProvider);
        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <summary>
    /// Follows a purge started by this client from its id (for example one whose id was handed to another request).
    /// A purge another instance started or took over is followed with <see cref="WaitForOperationAsync"/> instead
    /// (with a journal): only the instance driving a purge sends its batches.
    /// </summary>
    /// <param name="operationId">The purge operation's <see cref="CdnOperation.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>An operation over the same purge: polling either one moves it on, and no batch is sent twice.</returns>
    /// <exception cref="ArgumentException">The id is not a purge this client started or took over (kept in memory, the latest 1,024).</exception>
    public virtual Task<PurgeOperation> ResumePurgeAsync(string operationId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!OperationId.TryParse(operationId, out var id) || id.Provider != ServiceOperation.IdProvider || id.Kind != OperationKind.Purge || !_purgeJobs.TryGetValue(operationId, out var job))
        {
            throw new ArgumentException($"'{operationId}' is not a purge this client started (poppy:purge:<service id>:<purge id>).", nameof(operationId));
        }

        return Task.FromResult(new PurgeOperation(job, _timeProvider));
    }


    /// <summary>Checks the request, finds the service and builds each holding provider's queue of batches.</summary>
    private async ValueTask<PurgeJob> CreateJobAsync(string serviceId, PurgeRequest request, PurgeOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate();
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems, CdnValidationException.PurgeRequestSubject);
        }

        try
        {
            var service = await GetRequiredAsync(serviceId, cancellationToken).ConfigureAwait(false);
            var purgeId = Guid.CreateVersion7(_timeProvider.GetUtcNow()); // formatted only where used (idempotency keys, the job id)
            var queues = Queues(service, request, options?.Providers, purgeId);
            return new PurgeJob(purgeId, serviceId, request, queues, options?.WaitForVendorCompletion ?? false, _timeProvider);
        }
        catch (CdnException ex) when (Tag(ex, serviceId, null))
        {
            throw; // not reached: the filter only tags the exception
        }
    }

    private ProviderPurgeQueue[] Queues(CdnService service, PurgeRequest request, IReadOnlyList<string>? only, Guid purgeId)
    {
        // Counted first, then filled: no list of holders per purge (DESIGN §8).
        // Index loops: foreach over the IReadOnlyList would box its enumerator.
        var providers = service.Providers;
        var count = 0;
        for (var i = 0; i < providers.Count; i++)
        {
            count += IsHolder(providers[i], only) ? 1 : 0;
        }

        if (only is not null)
        {
            foreach (var name in only)
            {
                if (!HoldsAmong(service, name, only))
                {
                    throw new CdnValidationException([new ValidationProblem("/providers", $"Provider '{name}' does not hold service '{service.ServiceId}' (holding it: {string.Join(", ", service.Providers.Where(p => p.VendorServiceId is not null).Select(p => p.Provider))}).")], CdnValidationException.PurgeRequestSubject);
                }
            }
        }

        if (count == 0)
        {
            throw new CdnRequestFailedException("catalog", $"Service '{service.ServiceId}' is not provisioned on any provider yet (status {service.Status}); nothing to purge.", 409, CdnErrorCode.Conflict, isTransient: false);
        }

        var queues = new ProviderPurgeQueue[count];
        var h = 0;
        for (var i = 0; i < providers.Count; i++)
        {
            if (IsHolder(providers[i], only))
            {
                queues[h++] = Queue(service.ServiceId, providers[i], request, purgeId);
            }
        }

        return queues;

        static bool IsHolder(ProviderServiceDetails p, IReadOnlyList<string>? only) =>
            p.VendorServiceId is not null && p.Status != ProviderStatus.DeleteInProgress && (only is null || only.Contains(p.Provider));

        static bool HoldsAmong(CdnService service, string name, IReadOnlyList<string> only)
        {
            foreach (var p in service.Providers)
            {
                if (p.Provider == name && IsHolder(p, only))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private ProviderPurgeQueue Queue(string serviceId, ProviderServiceDetails holder, PurgeRequest request, Guid purgeId)
    {
        var layer = _coordinator.Provider(holder.Provider);
        var unsupported = CapabilityChecker.CheckPurge(request, layer.Capabilities, layer.Name);
        if (unsupported.Count > 0)
        {
            Log.PurgeUnsupported(_logger, layer.Name, serviceId, unsupported[0].Message);
            return new ProviderPurgeQueue(layer.Name, unsupported);
        }

        var batches = PurgeBatcher.Split(request, layer.Capabilities.MaxPurgeBatchSize);
        return new ProviderPurgeQueue(layer, new ServiceReference(serviceId, holder.VendorServiceId), batches, purgeId, _options.PurgeConcurrencyPerProvider, _logger);
    }

    private void Remember(PurgeJob job)
    {
        _purgeJobs[job.Id] = job;
        _purgeJobOrder.Enqueue(job.Id);
        while (_purgeJobOrder.Count > KeptPurgeJobs && _purgeJobOrder.TryDequeue(out var old))
        {
            _purgeJobs.TryRemove(old, out _);
        }
    }

    private void LogPurged(PurgeJob job)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        foreach (var queue in job.Queues)
        {
            var p = queue.Progress();
            Log.PurgeCompleted(_logger, job.ServiceId, p.Provider, p.TotalBatches, p.FailedBatches);
        }
    }
}
