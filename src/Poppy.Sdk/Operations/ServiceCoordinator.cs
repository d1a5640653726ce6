using Microsoft.Extensions.Logging;
using Poppy.Sdk.Catalog;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Models;
using Poppy.Sdk.Operations;
using Poppy.Sdk.Resilience;

namespace Poppy.Sdk.Placement;

/// <summary>
/// Starts service work on single providers and decides what each outcome means for the catalog: the
/// engine behind <see cref="PoppyClient"/>'s create, update and delete, and the host of the
/// <see cref="ServiceOperation"/>s it returns. Every provider call passes the provider's resilience layer.
/// </summary>
internal sealed class ServiceCoordinator(
    IReadOnlyDictionary<string, ResilientCdnProvider> providers,
    PoppyClientOptions options,
    CatalogWriter writer,
    TimeProvider timeProvider,
    ILogger logger) : IServiceOperationHost
{
    private readonly KeyedGate _creates = new();

    /// <summary>The gates that serialise create-or-update decisions per service and provider (for tests: they must not pile up).</summary>
    internal KeyedGate CreateGates => _creates;

    public TimeProvider Time => timeProvider;

    public IServiceCatalog Catalog => writer.Catalog;

    public CatalogWriter Writer => writer;

    public ResilientCdnProvider Provider(string name) =>
        providers.TryGetValue(name, out var provider) ? provider
        : throw new ArgumentException($"No provider named '{name}' is registered (registered: {string.Join(", ", providers.Keys)}).", nameof(name));

    /// <summary>Starts create-or-update on one provider and records it; a failure is recorded and returned in the run.</summary>
    public async Task<ProviderRun> StartOnProviderAsync(CdnService service, string provider, ServiceSpec spec, CancellationToken cancellationToken)
    {
        var layer = Provider(provider);
        var previous = service.Providers.FirstOrDefault(p => p.Provider == provider);
        var kind = OperationKind.Create;

        // Deciding "create or update" and acting on it is one step per service and provider: two converges of one
        // service (concurrent updates, a retried create) must not both find no resource and both create one.
        using var gate = await _creates.EnterAsync(GateKey(service.ServiceId, provider), cancellationToken).ConfigureAwait(false);
        try
        {
            // Another converge may have placed it while this one waited: read the record again.
            var current = (await writer.Catalog.GetAsync(service.ServiceId, cancellationToken).ConfigureAwait(false))?.Providers.FirstOrDefault(p => p.Provider == provider) ?? previous;
            previous = current;
            var vendorId = previous?.VendorServiceId;
            if (vendorId is null && previous is not null)
            {
                // An earlier create failed here: look the stamp up so a resource it half-made is updated, not duplicated.
                var found = await layer.GetServiceAsync(new ServiceReference(service.ServiceId), cancellationToken).ConfigureAwait(false);
                vendorId = found?.Details.VendorServiceId;
            }

            CdnOperation<ProviderServiceDetails> op;
            ProviderStatus status;
            if (vendorId is null)
            {
                status = ProviderStatus.CreateInProgress;
                op = await layer.CreateServiceAsync(service.ServiceId, spec, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                kind = OperationKind.Update;
                status = ProviderStatus.UpdateInProgress;
                op = await layer.UpdateServiceAsync(new ServiceReference(service.ServiceId, vendorId), spec, cancellationToken).ConfigureAwait(false);
            }

            // The vendor has acted: the record is written even if the caller gives up now.
            await RecordAsync(service.ServiceId, InProgress(provider, service.ServiceId, status, op, previous is null ? null : previous with { VendorServiceId = vendorId }), CancellationToken.None).ConfigureAwait(false);
            return new ProviderRun(provider, kind, op, null);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up mid-call: the vendor may have made (or changed) the resource without our hearing of it.
            // The provider stays on record, failed, so a retry looks the stamp up there and a delete reaches it.
            await RecordAsync(service.ServiceId, Failed(provider, service.ServiceId, previous, ex), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(service.ServiceId, Failed(provider, service.ServiceId, previous, ex), cancellationToken).ConfigureAwait(false);
            return new ProviderRun(provider, kind, null, ex);
        }
    }

    /// <summary>Failover placement: the first provider (from <paramref name="startIndex"/>) that accepts the create.</summary>
    /// <remarks>Clean-ups of half-created resources still in progress are added to <c>cleanups</c>, for the operation to follow.</remarks>
    public async Task<ProviderRun> PlaceWithFailoverAsync(string serviceId, ServiceSpec spec, IReadOnlyList<string> order, int startIndex, List<ProviderAttempt> attempts, List<ProviderRun> cleanups, CancellationToken cancellationToken)
    {
        for (var i = startIndex; i < order.Count; i++)
        {
            var layer = Provider(order[i]);
            var next = i + 1 < order.Count ? order[i + 1] : "none";
            var wasOpen = layer.IsCircuitOpen;
            try
            {
                CdnOperation<ProviderServiceDetails> op;
                using (await _creates.EnterAsync(GateKey(serviceId, layer.Name), cancellationToken).ConfigureAwait(false))
                {
                    // One create per service and provider at a time: a concurrent placement of the same service finds
                    // the stamp this one made (the provider's create converges on it) instead of making a second.
                    op = await layer.CreateServiceAsync(serviceId, spec, cancellationToken).ConfigureAwait(false);
                    await RecordAsync(serviceId, InProgress(layer.Name, serviceId, ProviderStatus.CreateInProgress, op, previous: null), CancellationToken.None).ConfigureAwait(false);
                }

                return new ProviderRun(layer.Name, OperationKind.Create, op, null) { Failover = new FailoverPosition(order, i, attempts) };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller gave up mid-create: the vendor may hold a resource no one heard of. Record it for clean-up,
                // so the service's delete (or a retried create, which finds the stamp) reaches it.
                Log.CleanupPending(logger, serviceId, layer.Name);
                await writer.AddPendingCleanupAsync(serviceId, layer.Name, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            catch (CdnRequestFailedException ex) when (ex.ErrorCode == CdnErrorCode.ServiceUnavailable && (wasOpen || layer.IsCircuitOpen) && ex.Status is null && !cancellationToken.IsCancellationRequested)
            {
                // Open circuit: refused without a vendor round trip. Nothing was sent, so nothing can be half-created.
                attempts.Add(new ProviderAttempt(layer.Name, ex));
                NoteFailover(serviceId, layer.Name, next, "circuit open");
            }
            catch (Exception ex) when (ResilientCdnProvider.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The provider leaves the service: what it may hold is removed now, or recorded for clean-up.
                attempts.Add(new ProviderAttempt(layer.Name, ex));
                await RemoveHalfCreatedAsync(layer, serviceId, cleanups, cancellationToken).ConfigureAwait(false);
                NoteFailover(serviceId, layer.Name, next, ProviderError.FromException(ex).Code);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Validation, auth or quota: another provider would not fix it.
                await RecordAsync(serviceId, Failed(layer.Name, serviceId, null, ex), cancellationToken).ConfigureAwait(false);
                throw;
            }
        }

        // Every provider failed: the service records each one's failure.
        foreach (var attempt in attempts.DistinctBy(a => a.Provider))
        {
            await RecordAsync(serviceId, Failed(attempt.Provider, serviceId, null, attempt.Exception), cancellationToken).ConfigureAwait(false);
        }

        throw new CdnAllProvidersFailedException("create", attempts);
    }

    /// <summary>Starts the delete of a service on one provider and records it.</summary>
    public async Task<ProviderRun> StartDeleteAsync(CdnService service, string provider, CancellationToken cancellationToken)
    {
        var layer = Provider(provider);
        var previous = service.Providers.FirstOrDefault(p => p.Provider == provider)
            ?? new ProviderServiceDetails { Provider = provider, ServiceId = service.ServiceId };
        try
        {
            var op = await layer.DeleteServiceAsync(new ServiceReference(service.ServiceId, previous.VendorServiceId), cancellationToken).ConfigureAwait(false);
            if (service.Providers.Any(p => p.Provider == provider))
            {
                await RecordAsync(service.ServiceId, InProgress(provider, service.ServiceId, ProviderStatus.DeleteInProgress, op, previous) with { Status = ProviderStatus.DeleteInProgress }, cancellationToken).ConfigureAwait(false);
            }

            return new ProviderRun(provider, OperationKind.Delete, op, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (service.Providers.Any(p => p.Provider == provider))
            {
                await RecordAsync(service.ServiceId, Failed(provider, service.ServiceId, previous, ex), cancellationToken).ConfigureAwait(false);
            }

            return new ProviderRun(provider, OperationKind.Delete, null, ex);
        }
    }

    /// <summary>
    /// Makes sure a provider that failed a create holds nothing for the service: looks it up by the stamped id and
    /// deletes what it finds. The provider leaves the catalog only when the vendor confirms nothing is left (not
    /// found, or the delete completed); until then the service records it in <see cref="CdnService.PendingCleanup"/>.
    /// A delete still in progress is added to <paramref name="cleanups"/>, so the service operation follows it to
    /// the end; one that cannot be started stays pending, and deleting the service finishes the job.
    /// </summary>
    public async Task RemoveHalfCreatedAsync(ResilientCdnProvider layer, string serviceId, List<ProviderRun> cleanups, CancellationToken cancellationToken)
    {
        try
        {
            var found = await layer.GetServiceAsync(new ServiceReference(serviceId), cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                var op = await layer.DeleteServiceAsync(new ServiceReference(serviceId, found.Details.VendorServiceId), cancellationToken).ConfigureAwait(false);
                if (!op.HasCompleted || op.Error is not null)
                {
                    // The vendor is still removing it (or refused): not confirmed gone yet.
                    Log.CleanupPending(logger, serviceId, layer.Name);
                    await writer.AddPendingCleanupAsync(serviceId, layer.Name, cancellationToken).ConfigureAwait(false);
                    if (!op.HasCompleted)
                    {
                        cleanups.Add(new ProviderRun(layer.Name, OperationKind.Delete, op, null) { IsCleanup = true });
                    }

                    return;
                }

                Log.HalfCreatedRemoved(logger, serviceId, layer.Name);
            }

            await writer.RemoveProviderAsync(serviceId, layer.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CleanupPending(logger, serviceId, layer.Name);
            await writer.AddPendingCleanupAsync(serviceId, layer.Name, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>One more try at a pending clean-up: look up, delete, and drop the entry once the vendor confirms nothing is left.</summary>
    /// <returns>Whether it is confirmed gone, or the error that kept it pending.</returns>
    public async Task<(bool Done, Exception? Error)> RetryCleanupAsync(ResilientCdnProvider layer, string serviceId, CancellationToken cancellationToken)
    {
        try
        {
            var service = await writer.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
            if (service?.Providers.Any(p => p.Provider == layer.Name && (p.VendorServiceId is not null || p.Status != ProviderStatus.Failed)) == true)
            {
                // The service was placed there again since: its stamped resource is the live one, not an orphan.
                await writer.UpdateAsync(serviceId, s => s is null || !s.PendingCleanup.Contains(layer.Name) ? s : s with { PendingCleanup = s.PendingCleanup.Where(p => p != layer.Name).ToList() }, cancellationToken).ConfigureAwait(false);
                return (true, null);
            }

            var found = await layer.GetServiceAsync(new ServiceReference(serviceId), cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                var op = await layer.DeleteServiceAsync(new ServiceReference(serviceId, found.Details.VendorServiceId), cancellationToken).ConfigureAwait(false);
                if (!op.HasCompleted && !await op.UpdateStatusAsync(cancellationToken).ConfigureAwait(false))
                {
                    return (false, null);
                }

                if (op.Error is { } error)
                {
                    return (false, error);
                }

                Log.HalfCreatedRemoved(logger, serviceId, layer.Name);
            }

            await writer.RemoveProviderAsync(serviceId, layer.Name, cancellationToken).ConfigureAwait(false);
            return (true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (false, ex);
        }
    }

    public Task RecordAsync(string serviceId, ProviderServiceDetails details, CancellationToken cancellationToken) =>
        writer.RecordAsync(serviceId, details, FlavorOrder, cancellationToken);

    /// <inheritdoc />
    public async Task OnSucceededAsync(string serviceId, ProviderRun run, CancellationToken cancellationToken)
    {
        if (run.Kind == OperationKind.Delete)
        {
            await writer.RemoveProviderAsync(serviceId, run.Provider, cancellationToken).ConfigureAwait(false);
        }
        else if (run.Operation is CdnOperation<ProviderServiceDetails> typed)
        {
            await RecordAsync(serviceId, typed.Value with { Provider = run.Provider, OperationId = null, Error = null }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ProviderRun>> OnFailedAsync(string serviceId, ProviderRun run, Exception error, CancellationToken cancellationToken)
    {
        if (run.IsCleanup)
        {
            // The half-created resource could not be confirmed gone: it stays in PendingCleanup for the service's delete.
            Log.CleanupPending(logger, serviceId, run.Provider);
            run.Error = error;
            run.Done = true;
            return [run];
        }

        var service = await writer.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        var previous = service?.Providers.FirstOrDefault(p => p.Provider == run.Provider);
        if (previous is not null || run.Kind != OperationKind.Delete)
        {
            await RecordAsync(serviceId, Failed(run.Provider, serviceId, previous, error), cancellationToken).ConfigureAwait(false);
        }

        if (run.Failover is { } failover && run.Kind == OperationKind.Create && ResilientCdnProvider.IsTransient(error) && service is not null)
        {
            // The first deployment failed transiently: clean the provider up, then place the service on the next one.
            failover.Attempts.Add(new ProviderAttempt(run.Provider, error));
            var cleanups = new List<ProviderRun>();
            await RemoveHalfCreatedAsync(Provider(run.Provider), serviceId, cleanups, cancellationToken).ConfigureAwait(false);
            ProviderRun next;
            try
            {
                next = await PlaceWithFailoverAsync(serviceId, service.Spec, failover.Order, failover.Index + 1, failover.Attempts, cleanups, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                next = new ProviderRun(run.Provider, run.Kind, null, ex) { Failover = failover };
            }

            return [next, .. cleanups];
        }

        run.Error = error;
        run.Done = true;
        return [run];
    }

    /// <inheritdoc />
    public Task OnDeleteFinishedAsync(string serviceId, CancellationToken cancellationToken) =>
        writer.UpdateAsync(serviceId, s => s is not null && s.Providers.Count == 0 && s.PendingCleanup.Count == 0 ? null : s, cancellationToken);

    internal static ProviderServiceDetails InProgress(string provider, string serviceId, ProviderStatus status, CdnOperation op, ProviderServiceDetails? previous) =>
        op is CdnOperation<ProviderServiceDetails> { HasValue: true } done
        ? done.Value with { Provider = provider, OperationId = null, Error = null }
        : new()
        {
            Provider = provider,
            ServiceId = serviceId,
            VendorServiceId = previous?.VendorServiceId,
            Status = op.HasCompleted && op.Error is null ? previous?.Status ?? status : status,
            AccessUrls = previous?.AccessUrls ?? [],
            CertificateStatuses = previous?.CertificateStatuses ?? new Dictionary<string, CertificateStatus>(),
            OperationId = op.Id,
        };

    internal static ProviderServiceDetails Failed(string provider, string serviceId, ProviderServiceDetails? previous, Exception error) =>
        new()
        {
            Provider = provider,
            ServiceId = serviceId,
            VendorServiceId = previous?.VendorServiceId,
            Status = ProviderStatus.Failed,
            AccessUrls = previous?.AccessUrls ?? [],
            CertificateStatuses = previous?.CertificateStatuses ?? new Dictionary<string, CertificateStatus>(),
            Error = ProviderError.FromException(error),
        };

    private static string GateKey(string serviceId, string provider) => provider + "\n" + serviceId;

    /// <summary>The order of the service's flavor (its records are kept in that order).</summary>
    public IReadOnlyList<string> FlavorOrder(CdnService service) =>
        options.Flavors.TryGetValue(service.Spec.FlavorId, out var flavor) ? flavor.Providers : [];

    private void NoteFailover(string serviceId, string from, string to, string reason)
    {
        PoppyTelemetry.Failovers.Add(1, new KeyValuePair<string, object?>("poppy.from", from), new KeyValuePair<string, object?>("poppy.to", to));
        Log.FailingOver(logger, serviceId, from, to, reason);
    }
}
