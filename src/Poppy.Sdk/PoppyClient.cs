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

/// <summary>
/// The composite client: one entry point over every registered provider. It validates specs offline (the model
/// rules, each provider's capabilities and each provider's <see cref="ICdnProvider.PlanService"/> — all problems at
/// once, nothing sent when invalid), places services by flavor (mirror or failover), keeps a versioned catalog,
/// runs purges as operations that split, pace and queue vendor batches, and wraps each provider in one resilience
/// and telemetry layer (circuit breaker, timeout, tracing) that every call, poll, resume and listing passes.
/// </summary>
public class PoppyClient : IDisposable
{
    private const int KeptPurgeJobs = 1024;
    private readonly Dictionary<string, ResilientCdnProvider> _providers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PurgeJob> _purgeJobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _purgeJobOrder = new();
    private readonly PoppyClientOptions _options = new();
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly ILogger _logger = NullLogger.Instance;
    private readonly ServiceCoordinator _coordinator = null!;

    /// <summary>Creates the client without dependency injection.</summary>
    /// <param name="providers">The providers (names must be unique).</param>
    /// <param name="options">Flavors and resilience settings.</param>
    /// <param name="catalog">The service catalog; in memory when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public PoppyClient(
        IEnumerable<ICdnProvider> providers,
        PoppyClientOptions options,
        IServiceCatalog? catalog = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)loggerFactory?.CreateLogger("Poppy.Sdk.PoppyClient") ?? NullLogger.Instance;
        foreach (var provider in providers)
        {
            if (!_providers.TryAdd(provider.Name, new ResilientCdnProvider(provider, options, _timeProvider, _logger)))
            {
                throw new ArgumentException($"Two providers are named '{provider.Name}'; provider names must be unique.", nameof(providers));
            }
        }

        var problems = options.Validate(_providers.Keys);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Poppy options:" + Environment.NewLine + string.Join(Environment.NewLine, problems), nameof(options));
        }

        _coordinator = new ServiceCoordinator(_providers, options, new CatalogWriter(catalog ?? new InMemoryServiceCatalog(), _logger), _timeProvider, _logger);
    }

    /// <summary>For mocking.</summary>
    protected PoppyClient()
    {
    }

    /// <summary>The registered providers' names.</summary>
    public virtual IReadOnlyCollection<string> ProviderNames => _providers.Keys;

    /// <summary>The catalog this client keeps.</summary>
    public virtual IServiceCatalog Catalog => _coordinator.Catalog;

    /// <summary>
    /// Whether a provider's circuit is open: calls to it are refused without reaching the vendor. After the
    /// break duration the next call is let through as a trial; until that call, the circuit still reads open.
    /// </summary>
    /// <param name="provider">The provider's name.</param>
    /// <returns>True when open.</returns>
    public virtual bool IsCircuitOpen(string provider) => _coordinator.Provider(provider).IsCircuitOpen;

    /// <summary>
    /// Validates a spec offline: the model rules (DESIGN §2.1), the flavor, and for every provider the spec can land
    /// on, its capabilities and its plan (<see cref="ICdnProvider.PlanService"/>). Makes no network call. A spec it
    /// accepts never fails on a vendor for a reason knowable offline.
    /// </summary>
    /// <param name="spec">The spec.</param>
    /// <param name="mode">Create or update.</param>
    /// <returns>Every problem, and the normalised spec when valid.</returns>
    public virtual ValidationResult Validate(ServiceSpec spec, ValidationMode mode = ValidationMode.Create)
    {
        var result = ServiceSpecValidator.Validate(spec, mode);
        var problems = new List<ValidationProblem>(result.Problems);
        if (!string.IsNullOrEmpty(spec.FlavorId) && !_options.Flavors.ContainsKey(spec.FlavorId))
        {
            var known = _options.Flavors.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", _options.Flavors.Keys.Order(StringComparer.Ordinal));
            problems.Add(new ValidationProblem("/flavor_id", $"Flavor '{spec.FlavorId}' is not configured ({known})."));
        }
        else if (result.Normalized is { } normalized && _options.Flavors.TryGetValue(normalized.FlavorId, out var flavor))
        {
            foreach (var name in flavor.Providers)
            {
                problems.AddRange(ProviderProblems(_coordinator.Provider(name), normalized));
            }
        }

        return problems.Count == result.Problems.Count ? result : new ValidationResult { Problems = problems };
    }

    /// <summary>
    /// Plans a spec on every provider of its flavor, offline: what each would send (vendor-native payloads) or every
    /// problem it would raise. This is what <c>poppy plan</c> shows.
    /// </summary>
    /// <param name="spec">The spec (validated and normalised here).</param>
    /// <returns>One plan per provider, in flavor order.</returns>
    /// <exception cref="CdnValidationException">The spec breaks the model rules or names an unknown flavor.</exception>
    public virtual IReadOnlyList<ProviderPlan> PlanService(ServiceSpec spec)
    {
        var result = ServiceSpecValidator.Validate(spec, ValidationMode.Create);
        var normalized = result.GetNormalizedOrThrow();
        if (!_options.Flavors.TryGetValue(normalized.FlavorId, out var flavor))
        {
            throw new CdnValidationException([new ValidationProblem("/flavor_id", $"Flavor '{normalized.FlavorId}' is not configured.")]);
        }

        return flavor.Providers.Select(name => _coordinator.Provider(name).PlanService(normalized)).ToList();
    }

    /// <summary>
    /// Creates a service on its flavor's providers. Invalid specs (model, capabilities, provider plans) throw before
    /// any vendor call. Creating with the id of a service the catalog already holds converges that service to the
    /// spec (so a create can be retried safely).
    /// </summary>
    /// <param name="spec">The desired state.</param>
    /// <param name="serviceId">The Poppy service id; a new one (UUID v7) when null.</param>
    /// <param name="cancellationToken">Cancels the start (not vendor-side work already accepted).</param>
    /// <returns>An operation that completes when every provider has finished; its value is the service with per-provider details.</returns>
    /// <exception cref="CdnValidationException">The spec is invalid or a provider would refuse it.</exception>
    /// <exception cref="CdnAllProvidersFailedException">No provider accepted the create.</exception>
    /// <exception cref="CdnRequestFailedException">A failover provider failed permanently (no failover for auth, validation or quota errors).</exception>
    public virtual async Task<ServiceOperation> CreateServiceAsync(ServiceSpec spec, string? serviceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var normalized = Validate(spec, ValidationMode.Create).GetNormalizedOrThrow();
        serviceId ??= Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("D");
        ValidateServiceId(serviceId);
        await _coordinator.Writer.UpdateAsync(serviceId, s => s ?? new CdnService { ServiceId = serviceId, Spec = normalized }, cancellationToken).ConfigureAwait(false);
        return await ConvergeAsync(serviceId, normalized, OperationKind.Create, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings a service to a new full spec where it is. In mirror flavors, providers where an earlier create failed
    /// are created (after a look-up by the stamped id, so nothing is duplicated). In failover flavors the provider
    /// holding the service is updated, and a failed update leaves it there (failed, with its error): updating never
    /// moves a service. The flavor cannot change.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="spec">The desired state.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>An operation that completes when every provider has finished.</returns>
    /// <exception cref="CdnValidationException">The spec is invalid or a provider would refuse it.</exception>
    /// <exception cref="CdnRequestFailedException">The service is not in the catalog (<see cref="CdnErrorCode.NotFound"/>), or the holder refused the update.</exception>
    public virtual async Task<ServiceOperation> UpdateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var existing = await GetRequiredAsync(serviceId, cancellationToken).ConfigureAwait(false);
        var result = Validate(spec, ValidationMode.Update);
        if (result.IsValid && result.Normalized!.FlavorId != existing.Spec.FlavorId)
        {
            throw new CdnValidationException([new ValidationProblem("/flavor_id", $"The flavor of an existing service cannot change (it is '{existing.Spec.FlavorId}'); delete the service and create it on the new flavor.")]);
        }

        return await ConvergeAsync(serviceId, result.GetNormalizedOrThrow(), OperationKind.Update, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a service from every provider that holds it (and from providers recorded for clean-up).
    /// The catalog entry is removed only when every provider has confirmed the delete; otherwise it stays, failed,
    /// so nothing is orphaned silently. Deleting an unknown service completes at once.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>An operation that completes when the service is gone everywhere.</returns>
    public virtual async Task<ServiceOperation> DeleteServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ValidateServiceId(serviceId);
        var existing = await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return ServiceOperation.Completed(serviceId, OperationKind.Delete, null);
        }

        var targets = existing.Providers.Select(p => p.Provider).Union(existing.PendingCleanup, StringComparer.Ordinal).ToList();
        Log.OperationStarted(_logger, serviceId, "delete", targets.Count);
        var runs = await Task.WhenAll(targets.Select(name => _coordinator.StartDeleteAsync(existing, name, cancellationToken))).ConfigureAwait(false);
        return new ServiceOperation(_coordinator, serviceId, OperationKind.Delete, runs);
    }

    /// <summary>Reads a service from the catalog.</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service, or null.</returns>
    public virtual async Task<CdnService?> GetServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ValidateServiceId(serviceId);
        return await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a service back from one provider, with its drift from the stamped desired spec (<see cref="ProviderService.Drift"/>).</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The vendor's view, or null when the vendor has no such service.</returns>
    public virtual async Task<ProviderService?> GetProviderServiceAsync(string serviceId, string provider, CancellationToken cancellationToken = default)
    {
        ValidateServiceId(serviceId);
        var layer = _coordinator.Provider(provider);
        var known = await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        string? vendorId = null;
        if (known is not null)
        {
            foreach (var p in known.Providers)
            {
                if (p.Provider == provider)
                {
                    vendorId = p.VendorServiceId;
                    break;
                }
            }
        }

        return await layer.GetServiceAsync(new ServiceReference(serviceId, vendorId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the catalog's services.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The services.</returns>
    public virtual IAsyncEnumerable<CdnService> ListServicesAsync(CancellationToken cancellationToken = default) =>
        _coordinator.Catalog.ListAsync(cancellationToken);

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
    /// <exception cref="CdnRequestFailedException">The service is not in the catalog (<see cref="CdnErrorCode.NotFound"/>), or no provider holds it yet (<see cref="CdnErrorCode.Conflict"/>).</exception>
    public virtual async Task<PurgeOperation> StartPurgeAsync(string serviceId, PurgeRequest request, PurgeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var job = await CreateJobAsync(serviceId, request, options, cancellationToken).ConfigureAwait(false);
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
        await job.StepUnsharedAsync(cancellationToken).ConfigureAwait(false);
        var state = job.State();
        while (!state.IsCompleted)
        {
            await Task.Delay(state.RetryAfter ?? PurgeOperation.PollingInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
            await job.StepUnsharedAsync(cancellationToken).ConfigureAwait(false);
            state = job.State();
        }

        LogPurged(job);
        if (state.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        return state.Value!;
    }

    /// <summary>Follows a purge started by this client from its id (for example one whose id was handed to another request).</summary>
    /// <param name="operationId">The purge operation's <see cref="CdnOperation.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>An operation over the same purge: polling either one moves it on, and no batch is sent twice.</returns>
    /// <exception cref="ArgumentException">The id is not a purge of this client (purges are kept in memory; durable journals come with the durable catalogs).</exception>
    public virtual Task<PurgeOperation> ResumePurgeAsync(string operationId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!OperationId.TryParse(operationId, out var id) || id.Provider != ServiceOperation.IdProvider || id.Kind != OperationKind.Purge || !_purgeJobs.TryGetValue(operationId, out var job))
        {
            throw new ArgumentException($"'{operationId}' is not a purge this client started (poppy:purge:<service id>:<purge id>).", nameof(operationId));
        }

        return Task.FromResult(new PurgeOperation(job, _timeProvider));
    }

    /// <summary>
    /// Rebuilds the catalog from the vendors: lists every provider's Poppy-stamped services (each page through the
    /// provider's resilience layer) and records them, merging with what the catalog already holds.
    /// </summary>
    /// <param name="cancellationToken">Cancels the rebuild.</param>
    /// <returns>How many services were found, and the providers that could not be listed.</returns>
    public virtual async Task<CatalogRebuildReport> RebuildCatalogAsync(CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, (ServiceSpec Spec, List<ProviderServiceDetails> Details)>(StringComparer.Ordinal);
        var failures = new List<ProviderAttempt>();
        foreach (var layer in _providers.Values)
        {
            try
            {
                await foreach (var service in layer.ListServicesAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = service.Details.ServiceId;
                    if (!found.TryGetValue(id, out var entry))
                    {
                        entry = (service.Spec, []);
                        found[id] = entry;
                    }

                    entry.Details.Add(service.Details);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add(new ProviderAttempt(layer.Name, ex));
            }
        }

        foreach (var (id, (spec, details)) in found)
        {
            await _coordinator.Writer.UpdateAsync(
                id,
                existing =>
                {
                    var merged = existing ?? new CdnService { ServiceId = id, Spec = spec };
                    foreach (var d in details)
                    {
                        merged = CatalogWriter.WithProvider(merged, d);
                    }

                    var order = _coordinator.FlavorOrder(merged);
                    return merged with { Providers = merged.Providers.OrderBy(p => order.Contains(p.Provider) ? order.ToList().IndexOf(p.Provider) : int.MaxValue).ToList() };
                },
                cancellationToken).ConfigureAwait(false);
        }

        Log.CatalogRebuilt(_logger, found.Count);
        return new CatalogRebuildReport(found.Count, failures);
    }

    /// <summary>Resumes a service operation from its id (after a restart, with a durable catalog); each provider's operation is resumed through its resilience layer.</summary>
    /// <param name="operationId">The <see cref="CdnOperation.Id"/> of a <see cref="ServiceOperation"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentException">The id is not a Poppy service operation id.</exception>
    public virtual async Task<ServiceOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        if (!OperationId.TryParse(operationId, out var id) || id.Provider != ServiceOperation.IdProvider || id.Kind == OperationKind.Purge)
        {
            throw new ArgumentException($"'{operationId}' is not a Poppy service operation id (poppy:<create|update|delete>:<service id>).", nameof(operationId));
        }

        var serviceId = id.Payload;
        var service = await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            return ServiceOperation.Completed(serviceId, id.Kind, null);
        }

        var runs = new List<ProviderRun>();
        foreach (var details in service.Providers)
        {
            if (details.OperationId is { } opId && _providers.TryGetValue(details.Provider, out var layer))
            {
                var op = await layer.ResumeOperationAsync(opId, cancellationToken).ConfigureAwait(false);
                runs.Add(new ProviderRun(details.Provider, id.Kind, op, null));
            }
            else
            {
                var error = details.Status == ProviderStatus.Failed
                    ? new CdnRequestFailedException(details.Provider, details.Error?.Message ?? "failed", details.Error?.HttpStatus, new CdnErrorCode(details.Error?.Code ?? "unknown"), details.Error?.IsTransient ?? false)
                    : null;
                runs.Add(new ProviderRun(details.Provider, id.Kind, null, error));
            }
        }

        return new ServiceOperation(_coordinator, serviceId, id.Kind, runs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the per-provider timers and limiters.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var layer in _providers.Values)
            {
                layer.Dispose();
            }
        }
    }

    private static void ValidateServiceId(string serviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        if (serviceId.Length > 128 || !serviceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"A service id is 1–128 characters of letters, digits, '-', '_' or '.'; got '{serviceId}'.", nameof(serviceId));
        }
    }

    private static IEnumerable<ValidationProblem> ProviderProblems(ResilientCdnProvider layer, ServiceSpec spec)
    {
        var capability = CapabilityChecker.Check(spec, layer.Capabilities, layer.Name);
        var plan = layer.PlanService(spec);
        if (plan.IsValid)
        {
            return capability;
        }

        // A provider's plan usually repeats its capability problems: report each once.
        return capability.Concat(plan.Problems).DistinctBy(p => (p.Path, p.Message, p.Provider));
    }

    private async Task<CdnService> GetRequiredAsync(string serviceId, CancellationToken cancellationToken)
    {
        ValidateServiceId(serviceId);
        return await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnRequestFailedException("catalog", $"Service '{serviceId}' is not in the catalog.", 404, CdnErrorCode.NotFound, isTransient: false);
    }

    /// <summary>Starts create/update work on the flavor's providers through the flavor's placement strategy.</summary>
    private async Task<ServiceOperation> ConvergeAsync(string serviceId, ServiceSpec spec, OperationKind kind, CancellationToken cancellationToken)
    {
        var flavor = _options.Flavors[spec.FlavorId];
        var service = await _coordinator.Writer.UpdateAsync(serviceId, s => s is null ? null : s with { Spec = spec }, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnRequestFailedException("catalog", $"Service '{serviceId}' is not in the catalog.", 404, CdnErrorCode.NotFound, isTransient: false);
        Log.OperationStarted(_logger, serviceId, OperationId.KindText(kind), flavor.Mode == FlavorMode.Mirror ? flavor.Providers.Count : 1);
        var runs = await IPlacementStrategy.For(flavor.Mode).StartAsync(_coordinator, service, spec, kind, flavor.Providers, cancellationToken).ConfigureAwait(false);
        return new ServiceOperation(_coordinator, serviceId, kind, runs);
    }

    /// <summary>Checks the request, finds the service and builds each holding provider's queue of batches.</summary>
    private async ValueTask<PurgeJob> CreateJobAsync(string serviceId, PurgeRequest request, PurgeOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate();
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems);
        }

        ValidateServiceId(serviceId);
        var service = await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnRequestFailedException("catalog", $"Service '{serviceId}' is not in the catalog.", 404, CdnErrorCode.NotFound, isTransient: false);
        var purgeId = Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N");
        var queues = Queues(service, request, options?.Providers, purgeId);
        return new PurgeJob(purgeId, serviceId, request, queues, options?.WaitForVendorCompletion ?? false, _timeProvider);
    }

    private ProviderPurgeQueue[] Queues(CdnService service, PurgeRequest request, IReadOnlyList<string>? only, string purgeId)
    {
        var holders = new List<ProviderServiceDetails>(service.Providers.Count);
        foreach (var p in service.Providers)
        {
            if (p.VendorServiceId is not null && p.Status != ProviderStatus.DeleteInProgress && (only is null || only.Contains(p.Provider)))
            {
                holders.Add(p);
            }
        }

        if (only is not null && only.FirstOrDefault(name => holders.All(h => h.Provider != name)) is { } missing)
        {
            throw new CdnValidationException([new ValidationProblem("/providers", $"Provider '{missing}' does not hold service '{service.ServiceId}' (holding it: {string.Join(", ", service.Providers.Where(p => p.VendorServiceId is not null).Select(p => p.Provider))}).")]);
        }

        if (holders.Count == 0)
        {
            throw new CdnRequestFailedException("catalog", $"Service '{service.ServiceId}' is not provisioned on any provider yet (status {service.Status}); nothing to purge.", 409, CdnErrorCode.Conflict, isTransient: false);
        }

        var queues = new ProviderPurgeQueue[holders.Count];
        for (var h = 0; h < holders.Count; h++)
        {
            var holder = holders[h];
            var layer = _coordinator.Provider(holder.Provider);
            var unsupported = CapabilityChecker.CheckPurge(request, layer.Capabilities, layer.Name);
            if (unsupported.Count > 0)
            {
                Log.PurgeUnsupported(_logger, layer.Name, service.ServiceId, unsupported[0].Message);
                queues[h] = new ProviderPurgeQueue(layer.Name, unsupported);
                continue;
            }

            var batches = PurgeBatcher.Split(request, layer.Capabilities.MaxPurgeBatchSize);
            queues[h] = new ProviderPurgeQueue(layer, new ServiceReference(service.ServiceId, holder.VendorServiceId), batches, purgeId, _options.PurgeConcurrencyPerProvider, _logger);
        }

        return queues;
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

/// <summary>The outcome of <see cref="PoppyClient.RebuildCatalogAsync"/>.</summary>
/// <param name="ServiceCount">Services found and recorded.</param>
/// <param name="Failures">Providers that could not be listed (their services may be missing).</param>
public sealed record CatalogRebuildReport(int ServiceCount, IReadOnlyList<ProviderAttempt> Failures);
