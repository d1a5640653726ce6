using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Catalog;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Journal;
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
public partial class PoppyClient : IDisposable
{
    private const int KeptPurgeJobs = 1024;
    private readonly Dictionary<string, ResilientCdnProvider> _providers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PurgeJob> _purgeJobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _purgeJobOrder = new();
    private readonly PoppyClientOptions _options = new();
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly ILogger _logger = NullLogger.Instance;
    private readonly ServiceCoordinator _coordinator = null!;
    private readonly LocalRateBudgetStore? _ownedBudgets;
    private readonly JournalKeeper? _journal;

    /// <summary>Creates the client without dependency injection.</summary>
    /// <param name="providers">The providers (names must be unique).</param>
    /// <param name="options">Flavors and resilience settings.</param>
    /// <param name="catalog">The service catalog; in memory when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="rateBudgets">
    /// Where the vendor accounts' pacing budgets are kept; in this client when null (a <see cref="LocalRateBudgetStore"/>
    /// it owns). Share one store (for example <c>Poppy.Sdk.Redis</c>'s) between instances to pace them together.
    /// </param>
    /// <param name="journal">
    /// Where every started operation is journaled, so that another instance (or this one after a restart) finishes it
    /// when this one stops (<see cref="OperationRecoveryService"/>); none when null. Share the store of the catalog.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public PoppyClient(
        IEnumerable<ICdnProvider> providers,
        PoppyClientOptions options,
        IServiceCatalog? catalog = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IRateBudgetStore? rateBudgets = null,
        IOperationJournal? journal = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)loggerFactory?.CreateLogger("Poppy.Sdk.PoppyClient") ?? NullLogger.Instance;
        _ownedBudgets = rateBudgets is null ? new LocalRateBudgetStore(_timeProvider) : null;
        var budgets = rateBudgets ?? _ownedBudgets!;
        foreach (var provider in providers)
        {
            if (!_providers.TryAdd(provider.Name, new ResilientCdnProvider(provider, options, _timeProvider, _logger, budgets)))
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
        _journal = journal is null ? null : new JournalKeeper(journal, options.Journal, _timeProvider, _logger);
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

    /// <summary>The resilience and telemetry layer around a registered provider (health checks call through it).</summary>
    /// <param name="provider">The provider's name.</param>
    /// <returns>The layer.</returns>
    internal ResilientCdnProvider ProviderLayer(string provider) => _coordinator.Provider(provider);

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

        return problems.Count == result.Problems.Count ? result : new ValidationResult { Problems = problems, Warnings = result.Warnings };
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
        serviceId ??= Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("D");
        ValidateServiceId(serviceId);
        try
        {
            var validated = Validate(spec, ValidationMode.Create);
            var normalized = validated.GetNormalizedOrThrow();
            LogWarnings(serviceId, validated);
            await _coordinator.Writer.UpdateAsync(serviceId, s => s ?? new CdnService { ServiceId = serviceId, Spec = normalized }, cancellationToken).ConfigureAwait(false);
            return await JournaledAsync(serviceId, OperationKind.Create, normalized, () => ConvergeAsync(serviceId, normalized, OperationKind.Create, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (CdnException ex) when (Tag(ex, serviceId, OperationKind.Create))
        {
            throw; // not reached: the filter only tags the exception with the service and operation
        }
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
    /// <exception cref="CdnServiceNotFoundException">The service is not in the catalog.</exception>
    /// <exception cref="CdnRequestFailedException">The holder refused the update.</exception>
    public virtual async Task<ServiceOperation> UpdateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        try
        {
            var existing = await GetRequiredAsync(serviceId, cancellationToken).ConfigureAwait(false);
            var result = Validate(spec, ValidationMode.Update);
            if (result.IsValid && result.Normalized!.FlavorId != existing.Spec.FlavorId)
            {
                throw new CdnValidationException([new ValidationProblem("/flavor_id", $"The flavor of an existing service cannot change (it is '{existing.Spec.FlavorId}'); delete the service and create it on the new flavor.")]);
            }

            var normalized = result.GetNormalizedOrThrow();
            LogWarnings(serviceId, result);
            return await JournaledAsync(serviceId, OperationKind.Update, normalized, () => ConvergeAsync(serviceId, normalized, OperationKind.Update, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (CdnException ex) when (Tag(ex, serviceId, OperationKind.Update))
        {
            throw; // not reached: the filter only tags the exception
        }
    }

    /// <summary>
    /// Deletes a service from every provider that holds it (and from providers recorded for clean-up).
    /// The catalog entry is removed only when every provider has confirmed the delete; otherwise it stays, failed,
    /// so nothing is orphaned silently. Deleting an unknown service completes at once.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>An operation that completes, with what was removed, when the service is gone everywhere.</returns>
    public virtual async Task<DeleteServiceOperation> DeleteServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ValidateServiceId(serviceId);
        var existing = await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return DeleteServiceOperation.NothingToDelete(serviceId);
        }

        var targets = existing.Providers.Select(p => p.Provider).Union(existing.PendingCleanup, StringComparer.Ordinal).ToList();
        Log.OperationStarted(_logger, serviceId, "delete", targets.Count);
        return await JournaledAsync(
            serviceId,
            OperationKind.Delete,
            null,
            async () => new DeleteServiceOperation(_coordinator, serviceId, await Task.WhenAll(targets.Select(name => _coordinator.StartDeleteAsync(existing, name, cancellationToken))).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);
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
    /// Resumes a service operation from its id (after a restart, with a durable catalog); each provider's operation is
    /// resumed through its resilience layer. A create or update id gives a <see cref="ServiceOperation"/>, a delete id a
    /// <see cref="DeleteServiceOperation"/>; wait on it as it is, or match the type for its value.
    /// </summary>
    /// <param name="operationId">The <see cref="CdnOperation.Id"/> of a <see cref="ServiceOperation"/> or <see cref="DeleteServiceOperation"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="CdnServiceNotFoundException">A create or update id of a service the catalog does not know.</exception>
    /// <exception cref="ArgumentException">The id is not a Poppy service operation id.</exception>
    public virtual async Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        if (!OperationId.TryParse(operationId, out var id) || id.Provider != ServiceOperation.IdProvider || id.Kind == OperationKind.Purge)
        {
            throw new ArgumentException($"'{operationId}' is not a Poppy service operation id (poppy:<create|update|delete>:<service id>).", nameof(operationId));
        }

        var serviceId = id.Payload;
        var service = await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            return id.Kind == OperationKind.Delete ? DeleteServiceOperation.NothingToDelete(serviceId) : throw new CdnServiceNotFoundException(serviceId);
        }

        var runs = new List<ProviderRun>();
        foreach (var details in service.Providers)
        {
            runs.Add(await ResumeRunAsync(details, id.Kind, cancellationToken).ConfigureAwait(false));
        }

        CdnOperation operation = id.Kind == OperationKind.Delete
            ? new DeleteServiceOperation(_coordinator, serviceId, runs)
            : new ServiceOperation(_coordinator, serviceId, id.Kind, runs);

        // The journal follows the run in progress: whoever sees it complete records the outcome.
        ((IJournaledOperation)operation).JournalRun = await ObserveJournalRunAsync(operationId, cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <summary>A provider's share of a service operation, from its catalog record: its vendor operation resumed, or settled (failed or done).</summary>
    private async Task<ProviderRun> ResumeRunAsync(ProviderServiceDetails details, OperationKind kind, CancellationToken cancellationToken)
    {
        if (details.OperationId is { } opId && _providers.TryGetValue(details.Provider, out var layer))
        {
            var op = await layer.ResumeOperationAsync(opId, cancellationToken).ConfigureAwait(false);
            return new ProviderRun(details.Provider, kind, op, null);
        }

        var error = details.Status == ProviderStatus.Failed
            ? new CdnRequestFailedException(details.Provider, details.Error?.Message ?? "failed", details.Error?.HttpStatus, new CdnErrorCode(details.Error?.Code ?? "unknown"), details.Error?.IsTransient ?? false)
            : null;
        return new ProviderRun(details.Provider, kind, null, error);
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

            _ownedBudgets?.Dispose();
        }
    }

    /// <summary>Tags an exception with the service and operation it came from (an exception filter: returns false, so the stack is kept).</summary>
    private static bool Tag(CdnException exception, string serviceId, OperationKind? kind)
    {
        exception.ServiceId ??= serviceId;
        if (kind is { } k)
        {
            exception.OperationId ??= new OperationId(ServiceOperation.IdProvider, k, serviceId).ToString();
        }

        return false;
    }

    /// <summary>Warnings never block; they are logged so the person who wrote the spec hears of them.</summary>
    private void LogWarnings(string serviceId, ValidationResult result)
    {
        foreach (var warning in result.Warnings)
        {
            Log.SpecWarning(_logger, serviceId, warning.Path, warning.Message);
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

    private async ValueTask<CdnService> GetRequiredAsync(string serviceId, CancellationToken cancellationToken)
    {
        ValidateServiceId(serviceId);
        return await _coordinator.Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnServiceNotFoundException(serviceId);
    }

    /// <summary>Starts create/update work on the flavor's providers through the flavor's placement strategy.</summary>
    private async Task<ServiceOperation> ConvergeAsync(string serviceId, ServiceSpec spec, OperationKind kind, CancellationToken cancellationToken)
    {
        var flavor = _options.Flavors[spec.FlavorId];
        var service = await _coordinator.Writer.UpdateAsync(serviceId, s => s is null ? null : s with { Spec = spec }, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnServiceNotFoundException(serviceId);
        Log.OperationStarted(_logger, serviceId, OperationId.KindText(kind), flavor.Mode == FlavorMode.Mirror ? flavor.Providers.Count : 1);
        var runs = await IPlacementStrategy.For(flavor.Mode).StartAsync(_coordinator, service, spec, kind, flavor.Providers, cancellationToken).ConfigureAwait(false);
        return new ServiceOperation(_coordinator, serviceId, kind, runs);
    }

}
