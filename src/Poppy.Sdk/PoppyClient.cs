using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;
using Polly.CircuitBreaker;

namespace Poppy.Sdk;

/// <summary>
/// The composite client: one entry point over every registered provider. It validates specs
/// (all problems at once, nothing sent when invalid), checks them against the capabilities of every
/// provider they may land on, places services by flavor (mirror or failover), keeps the catalog,
/// fans purges out in vendor-sized, paced batches, and breaks circuits per provider.
/// </summary>
public class PoppyClient : IDisposable
{
    private readonly Dictionary<string, ProviderChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _serviceLocks = new(StringComparer.Ordinal);
    private readonly PoppyClientOptions _options = new();
    private readonly IServiceCatalog _catalog = new InMemoryServiceCatalog();
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly ILogger _logger = NullLogger.Instance;

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
        _catalog = catalog ?? new InMemoryServiceCatalog();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)loggerFactory?.CreateLogger("Poppy.Sdk.PoppyClient") ?? NullLogger.Instance;
        foreach (var provider in providers)
        {
            if (!_channels.TryAdd(provider.Name, new ProviderChannel(provider, options, _timeProvider, _logger)))
            {
                throw new ArgumentException($"Two providers are named '{provider.Name}'; provider names must be unique.", nameof(providers));
            }
        }

        var problems = options.Validate(_channels.Keys);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Poppy options:" + Environment.NewLine + string.Join(Environment.NewLine, problems), nameof(options));
        }
    }

    /// <summary>For mocking.</summary>
    protected PoppyClient()
    {
    }

    /// <summary>The registered providers' names.</summary>
    public virtual IReadOnlyCollection<string> ProviderNames => _channels.Keys;

    /// <summary>The catalog this client keeps.</summary>
    public virtual IServiceCatalog Catalog => _catalog;

    internal PoppyClientOptions Options => _options;

    internal TimeProvider Time => _timeProvider;

    /// <summary>
    /// Whether a provider's circuit is open: calls to it are refused without reaching the vendor. After the
    /// break duration the next call is let through as a trial; until that call, the circuit still reads open.
    /// </summary>
    /// <param name="provider">The provider's name.</param>
    /// <returns>True when open.</returns>
    public virtual bool IsCircuitOpen(string provider) => Channel(provider).IsCircuitOpen;

    /// <summary>
    /// Validates a spec: the model rules (DESIGN §2.1), the flavor, and the capabilities of every
    /// provider of the flavor. Makes no network call.
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
                var channel = Channel(name);
                problems.AddRange(CapabilityChecker.Check(normalized, channel.Provider.Capabilities, name));
            }
        }

        return problems.Count == result.Problems.Count ? result : new ValidationResult { Problems = problems };
    }

    /// <summary>
    /// Creates a service on its flavor's providers. Invalid specs throw before any vendor call.
    /// Creating with the id of a service the catalog already holds converges that service to the
    /// spec (so a create can be retried safely).
    /// </summary>
    /// <param name="spec">The desired state.</param>
    /// <param name="serviceId">The Poppy service id; a new one (UUID v7) when null.</param>
    /// <param name="cancellationToken">Cancels the start (not vendor-side work already accepted).</param>
    /// <returns>An operation that completes when every provider has finished; its value is the service with per-provider details.</returns>
    /// <exception cref="CdnValidationException">The spec is invalid or needs an unsupported feature.</exception>
    /// <exception cref="CdnAllProvidersFailedException">No provider accepted the create.</exception>
    /// <exception cref="CdnRequestFailedException">A failover provider failed permanently (no failover for auth, validation or quota errors).</exception>
    public virtual async Task<ServiceOperation> CreateServiceAsync(ServiceSpec spec, string? serviceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var normalized = Validate(spec, ValidationMode.Create).GetNormalizedOrThrow();
        serviceId ??= Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("D");
        ValidateServiceId(serviceId);
        if (await _catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return await ConvergeAsync(serviceId, normalized, "create", cancellationToken).ConfigureAwait(false);
        }

        await _catalog.SaveAsync(new CdnService { ServiceId = serviceId, Spec = normalized }, cancellationToken).ConfigureAwait(false);
        return await ConvergeAsync(serviceId, normalized, "create", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings a service to a new full spec on its providers. Providers where an earlier create failed
    /// are created (after a look-up by the stamped id, so nothing is duplicated): an update converges
    /// a partially failed service. The flavor cannot change.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="spec">The desired state.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>An operation that completes when every provider has finished.</returns>
    /// <exception cref="CdnValidationException">The spec is invalid.</exception>
    /// <exception cref="CdnRequestFailedException">The service is not in the catalog (<see cref="CdnErrorCode.NotFound"/>).</exception>
    public virtual async Task<ServiceOperation> UpdateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var existing = await GetRequiredAsync(serviceId, cancellationToken).ConfigureAwait(false);
        var result = Validate(spec, ValidationMode.Update);
        if (result.IsValid && result.Normalized!.FlavorId != existing.Spec.FlavorId)
        {
            throw new CdnValidationException([new ValidationProblem("/flavor_id", $"The flavor of an existing service cannot change (it is '{existing.Spec.FlavorId}'); delete the service and create it on the new flavor.")]);
        }

        return await ConvergeAsync(serviceId, result.GetNormalizedOrThrow(), "update", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a service from every provider that holds it (and from providers recorded for clean-up).
    /// The catalog entry is removed only when every provider has deleted it; otherwise it stays, failed,
    /// so nothing is orphaned silently. Deleting an unknown service completes at once.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>An operation that completes when the service is gone everywhere.</returns>
    public virtual async Task<ServiceOperation> DeleteServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ValidateServiceId(serviceId);
        var existing = await _catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return ServiceOperation.Completed(this, serviceId, "delete", null);
        }

        var targets = existing.Providers.Select(p => p.Provider).Union(existing.PendingCleanup, StringComparer.Ordinal).ToList();
        Log.OperationStarted(_logger, serviceId, "delete", targets.Count);
        var runs = await Task.WhenAll(targets.Select(name => StartDeleteAsync(existing, name, cancellationToken))).ConfigureAwait(false);
        await UpdateCatalogAsync(serviceId, s => s is null ? null : s with { PendingCleanup = [] }, cancellationToken).ConfigureAwait(false);
        return new ServiceOperation(this, serviceId, "delete", runs);
    }

    /// <summary>Reads a service from the catalog.</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service, or null.</returns>
    public virtual async Task<CdnService?> GetServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ValidateServiceId(serviceId);
        return await _catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a service back from one provider (to see drift between the catalog and the vendor).</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The vendor's view, or null when the vendor has no such service.</returns>
    public virtual async Task<ProviderService?> GetProviderServiceAsync(string serviceId, string provider, CancellationToken cancellationToken = default)
    {
        ValidateServiceId(serviceId);
        var channel = Channel(provider);
        var known = await _catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        var reference = new ServiceReference(serviceId, known?.Providers.FirstOrDefault(p => p.Provider == provider)?.VendorServiceId);
        return await channel.InvokeAsync(
            "get",
            serviceId,
            static (p, r, ct) => p.GetServiceAsync(r, ct),
            reference,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the catalog's services.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The services.</returns>
    public virtual IAsyncEnumerable<CdnService> ListServicesAsync(CancellationToken cancellationToken = default) =>
        _catalog.ListAsync(cancellationToken);

    /// <summary>
    /// Purges a service on every provider holding it: the request is split into each vendor's batch
    /// size, paced by the vendor account's token bucket, and reported per provider. A kind a provider
    /// lacks is reported as unsupported for that provider; the others still purge.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="request">What to purge.</param>
    /// <param name="cancellationToken">Cancels the purge (batches already sent stay sent).</param>
    /// <returns>The per-provider report.</returns>
    /// <exception cref="CdnValidationException">The request itself is malformed.</exception>
    /// <exception cref="CdnRequestFailedException">The service is not in the catalog.</exception>
    /// <exception cref="InvalidOperationException">No provider holds the service yet.</exception>
    public virtual async Task<PurgeReport> PurgeAsync(string serviceId, PurgeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate();
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems);
        }

        var service = await GetRequiredAsync(serviceId, cancellationToken).ConfigureAwait(false);
        var holders = new List<ProviderServiceDetails>(service.Providers.Count);
        foreach (var p in service.Providers)
        {
            if (p.VendorServiceId is not null && p.Status != ProviderStatus.DeleteInProgress)
            {
                holders.Add(p);
            }
        }

        if (holders.Count == 0)
        {
            throw new InvalidOperationException($"Service '{serviceId}' is not provisioned on any provider yet (status {service.Status}); nothing to purge.");
        }

        if (holders.Count == 1)
        {
            var single = await PurgeOnProviderAsync(holders[0], request, cancellationToken).ConfigureAwait(false);
            return new PurgeReport { ServiceId = serviceId, Request = request, Providers = [single] };
        }

        var reports = await Task.WhenAll(holders.Select(h => PurgeOnProviderAsync(h, request, cancellationToken))).ConfigureAwait(false);
        return new PurgeReport { ServiceId = serviceId, Request = request, Providers = reports };
    }

    /// <summary>
    /// Rebuilds the catalog from the vendors: lists every provider's Poppy-stamped services and
    /// records them (spec read back from the first provider that holds each).
    /// </summary>
    /// <param name="cancellationToken">Cancels the rebuild.</param>
    /// <returns>How many services were found, and the providers that could not be listed.</returns>
    public virtual async Task<CatalogRebuildReport> RebuildCatalogAsync(CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, (ServiceSpec Spec, List<ProviderServiceDetails> Details)>(StringComparer.Ordinal);
        var failures = new List<ProviderAttempt>();
        foreach (var channel in _channels.Values)
        {
            try
            {
                await foreach (var service in channel.Provider.ListServicesAsync(cancellationToken).ConfigureAwait(false))
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
                failures.Add(new ProviderAttempt(channel.Name, ex));
            }
        }

        foreach (var (id, (spec, details)) in found)
        {
            var order = _options.Flavors.TryGetValue(spec.FlavorId, out var flavor) ? flavor.Providers : [];
            details.Sort((a, b) => IndexOr(order, a.Provider).CompareTo(IndexOr(order, b.Provider)));
            await _catalog.SaveAsync(new CdnService { ServiceId = id, Spec = spec, Providers = details }, cancellationToken).ConfigureAwait(false);
        }

        Log.CatalogRebuilt(_logger, found.Count);
        return new CatalogRebuildReport(found.Count, failures);

        static int IndexOr(List<string> order, string name)
        {
            var i = order.IndexOf(name);
            return i < 0 ? int.MaxValue : i;
        }
    }

    /// <summary>Resumes a service operation from its id (after a restart, with a durable catalog).</summary>
    /// <param name="operationId">The <see cref="CdnOperation.Id"/> of a <see cref="ServiceOperation"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentException">The id is not a Poppy service operation id.</exception>
    public virtual async Task<ServiceOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        if (!ServiceOperation.TryParseId(operationId, out var kind, out var serviceId))
        {
            throw new ArgumentException($"'{operationId}' is not a Poppy service operation id (poppy:<create|update|delete>:<service id>).", nameof(operationId));
        }

        var service = await _catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            return ServiceOperation.Completed(this, serviceId, kind, null);
        }

        var runs = new List<ProviderRun>();
        foreach (var details in service.Providers)
        {
            if (details.OperationId is { } opId && _channels.TryGetValue(details.Provider, out var channel))
            {
                var op = await channel.Provider.ResumeOperationAsync(opId, cancellationToken).ConfigureAwait(false);
                runs.Add(new ProviderRun(details.Provider, op, null, kind));
            }
            else
            {
                runs.Add(new ProviderRun(details.Provider, null, details.Status == ProviderStatus.Failed ? new InvalidOperationException(details.Error?.Message ?? "failed") : null, kind));
            }
        }

        return new ServiceOperation(this, serviceId, kind, runs);
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
            foreach (var channel in _channels.Values)
            {
                channel.Dispose();
            }
        }
    }

    internal ProviderChannel Channel(string name) =>
        _channels.TryGetValue(name, out var channel) ? channel
        : throw new ArgumentException($"No provider named '{name}' is registered (registered: {string.Join(", ", _channels.Keys)}).", nameof(name));

    internal async Task UpdateCatalogAsync(string serviceId, Func<CdnService?, CdnService?> mutate, CancellationToken cancellationToken)
    {
        var gate = _serviceLocks.GetOrAdd(serviceId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var before = await _catalog.GetAsync(serviceId, CancellationToken.None).ConfigureAwait(false);
            var after = mutate(before);
            if (after is null)
            {
                if (before is not null)
                {
                    await _catalog.DeleteAsync(serviceId, CancellationToken.None).ConfigureAwait(false);
                }
            }
            else if (!ReferenceEquals(before, after))
            {
                await _catalog.SaveAsync(after, CancellationToken.None).ConfigureAwait(false);
                if (before is null || before.Status != after.Status)
                {
                    Log.ServiceStatusChanged(_logger, serviceId, after.Status.ToString());
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    internal Task RecordAsync(string serviceId, ProviderServiceDetails details, CancellationToken cancellationToken) =>
        UpdateCatalogAsync(serviceId, s => s is null ? null : InFlavorOrder(WithProvider(s, details)), cancellationToken);

    /// <summary>Keeps <see cref="CdnService.Providers"/> in the order the flavor lists them (others last).</summary>
    private CdnService InFlavorOrder(CdnService service)
    {
        if (service.Providers.Count < 2 || !_options.Flavors.TryGetValue(service.Spec.FlavorId, out var flavor))
        {
            return service;
        }

        var order = flavor.Providers;
        return service with { Providers = service.Providers.OrderBy(p => order.IndexOf(p.Provider) is var i and >= 0 ? i : int.MaxValue).ToList() };
    }

    internal static CdnService WithProvider(CdnService service, ProviderServiceDetails details)
    {
        var list = new List<ProviderServiceDetails>(service.Providers.Count + 1);
        var replaced = false;
        foreach (var p in service.Providers)
        {
            if (p.Provider == details.Provider)
            {
                list.Add(details);
                replaced = true;
            }
            else
            {
                list.Add(p);
            }
        }

        if (!replaced)
        {
            list.Add(details);
        }

        return service with { Providers = list };
    }

    /// <summary>Starts create/update work on the flavor's providers, recording each outcome.</summary>
    private async Task<ServiceOperation> ConvergeAsync(string serviceId, ServiceSpec spec, string kind, CancellationToken cancellationToken)
    {
        var flavor = _options.Flavors[spec.FlavorId];
        await UpdateCatalogAsync(serviceId, s => s is null ? null : s with { Spec = spec }, cancellationToken).ConfigureAwait(false);
        var service = await GetRequiredAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (flavor.Mode == FlavorMode.Mirror)
        {
            Log.OperationStarted(_logger, serviceId, kind, flavor.Providers.Count);
            var runs = await Task.WhenAll(flavor.Providers.Select(name => StartCreateOrUpdateAsync(service, name, spec, kind, cancellationToken))).ConfigureAwait(false);
            if (runs.All(r => r.Error is not null))
            {
                throw new CdnAllProvidersFailedException(kind, runs.Select(r => new ProviderAttempt(r.Provider, r.Error!)).ToList());
            }

            return new ServiceOperation(this, serviceId, kind, runs);
        }

        // Failover: the provider currently holding the service gets the update; otherwise place it.
        var holder = service.Providers.FirstOrDefault(p => p.VendorServiceId is not null && p.Status != ProviderStatus.Failed && flavor.Providers.Contains(p.Provider));
        Log.OperationStarted(_logger, serviceId, kind, 1);
        if (holder is not null)
        {
            var run = await StartCreateOrUpdateAsync(service, holder.Provider, spec, kind, cancellationToken).ConfigureAwait(false);
            if (run.Error is not null)
            {
                throw run.Error;
            }

            return new ServiceOperation(this, serviceId, kind, [run]);
        }

        var placed = await PlaceWithFailoverAsync(serviceId, spec, flavor.Providers, 0, [], cancellationToken).ConfigureAwait(false);
        return new ServiceOperation(this, serviceId, kind, [placed]);
    }

    /// <summary>Failover placement: the first provider (from <paramref name="startIndex"/>) that accepts the create.</summary>
    internal async Task<ProviderRun> PlaceWithFailoverAsync(string serviceId, ServiceSpec spec, IReadOnlyList<string> order, int startIndex, List<ProviderAttempt> attempts, CancellationToken cancellationToken)
    {
        for (var i = startIndex; i < order.Count; i++)
        {
            var channel = Channel(order[i]);
            var next = i + 1 < order.Count ? order[i + 1] : "none";
            try
            {
                var op = await channel.InvokeAsync(
                    "create",
                    serviceId,
                    static (p, s, ct) => p.CreateServiceAsync(s.serviceId, s.spec, ct),
                    (serviceId, spec),
                    cancellationToken).ConfigureAwait(false);
                var run = new ProviderRun(channel.Name, op, null, "create") { FailoverIndex = i, FailoverOrder = order, Attempts = attempts };
                await RecordAsync(serviceId, InProgress(channel.Name, serviceId, ProviderStatus.CreateInProgress, op, previous: null), cancellationToken).ConfigureAwait(false);
                return run;
            }
            catch (BrokenCircuitException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Open circuit: refused without a vendor round trip. Nothing was sent, so nothing can be half-created.
                var open = new CdnRequestFailedException(channel.Name, $"The circuit for '{channel.Name}' is open; it was skipped.", null, CdnErrorCode.ServiceUnavailable, isTransient: true, innerException: ex);
                attempts.Add(new ProviderAttempt(channel.Name, open));
                NoteFailover(serviceId, channel.Name, next, "circuit open");
            }
            catch (Exception ex) when (ProviderChannel.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The provider leaves the service: what it may hold is checked now, or kept in PendingCleanup.
                attempts.Add(new ProviderAttempt(channel.Name, ex));
                await RemoveHalfCreatedAsync(channel, serviceId, cancellationToken).ConfigureAwait(false);
                NoteFailover(serviceId, channel.Name, next, ProviderError.FromException(ex).Code);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Validation, auth or quota: another provider would not fix it.
                await RecordAsync(serviceId, Failed(channel.Name, serviceId, null, ex), cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Makes sure a provider that failed a create holds nothing for the service: looks it up by the
    /// stamped id (bypassing the circuit breaker: this check must happen) and deletes what it finds.
    /// When the provider cannot be reached, the service records it for clean-up.
    /// </summary>
    internal async Task RemoveHalfCreatedAsync(ProviderChannel channel, string serviceId, CancellationToken cancellationToken)
    {
        try
        {
            var found = await channel.InvokeBypassingCircuitAsync(
                "get", serviceId, (p, ct) => p.GetServiceAsync(new ServiceReference(serviceId), ct), _options.ProviderCallTimeout, cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                await channel.InvokeBypassingCircuitAsync(
                    "delete", serviceId, (p, ct) => p.DeleteServiceAsync(new ServiceReference(serviceId, found.Details.VendorServiceId), ct), _options.ProviderCallTimeout, cancellationToken).ConfigureAwait(false);
                Log.HalfCreatedRemoved(_logger, serviceId, channel.Name);
            }

            await UpdateCatalogAsync(serviceId, s => s is null ? null : Without(s, channel.Name), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CleanupPending(_logger, serviceId, channel.Name);
            await UpdateCatalogAsync(serviceId, s => s is null ? null : Without(s, channel.Name) is var w && w.PendingCleanup.Contains(channel.Name) ? w : w with { PendingCleanup = [.. w.PendingCleanup, channel.Name] }, cancellationToken).ConfigureAwait(false);
        }

        static CdnService Without(CdnService s, string provider) => s with { Providers = s.Providers.Where(p => p.Provider != provider).ToList() };
    }

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

    private static void ValidateServiceId(string serviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        if (serviceId.Length > 128 || !serviceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"A service id is 1–128 characters of letters, digits, '-', '_' or '.'; got '{serviceId}'.", nameof(serviceId));
        }
    }

    private void NoteFailover(string serviceId, string from, string to, string reason)
    {
        PoppyTelemetry.Failovers.Add(1, new KeyValuePair<string, object?>("poppy.from", from), new KeyValuePair<string, object?>("poppy.to", to));
        Log.FailingOver(_logger, serviceId, from, to, reason);
    }

    private async Task<CdnService> GetRequiredAsync(string serviceId, CancellationToken cancellationToken)
    {
        ValidateServiceId(serviceId);
        return await _catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnRequestFailedException("catalog", $"Service '{serviceId}' is not in the catalog.", 404, CdnErrorCode.NotFound, isTransient: false);
    }

    private async Task<ProviderRun> StartCreateOrUpdateAsync(CdnService service, string provider, ServiceSpec spec, string kind, CancellationToken cancellationToken)
    {
        var channel = Channel(provider);
        var previous = service.Providers.FirstOrDefault(p => p.Provider == provider);
        try
        {
            var vendorId = previous?.VendorServiceId;
            if (vendorId is null && previous is not null)
            {
                // An earlier create failed here: look the stamp up so a resource it half-made is updated, not duplicated.
                var found = await channel.InvokeAsync("get", service.ServiceId, static (p, id, ct) => p.GetServiceAsync(new ServiceReference(id), ct), service.ServiceId, cancellationToken).ConfigureAwait(false);
                vendorId = found?.Details.VendorServiceId;
            }

            CdnOperation<ProviderServiceDetails> op;
            ProviderStatus status;
            if (vendorId is null)
            {
                status = ProviderStatus.CreateInProgress;
                op = await channel.InvokeAsync("create", service.ServiceId, static (p, s, ct) => p.CreateServiceAsync(s.ServiceId, s.spec, ct), (service.ServiceId, spec), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                status = ProviderStatus.UpdateInProgress;
                op = await channel.InvokeAsync("update", service.ServiceId, static (p, s, ct) => p.UpdateServiceAsync(s.Item1, s.spec, ct), (new ServiceReference(service.ServiceId, vendorId), spec), cancellationToken).ConfigureAwait(false);
            }

            await RecordAsync(service.ServiceId, InProgress(provider, service.ServiceId, status, op, previous is null ? null : previous with { VendorServiceId = vendorId }), cancellationToken).ConfigureAwait(false);
            return new ProviderRun(provider, op, null, kind);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(service.ServiceId, Failed(provider, service.ServiceId, previous, ex), cancellationToken).ConfigureAwait(false);
            return new ProviderRun(provider, null, ex, kind);
        }
    }

    private async Task<ProviderRun> StartDeleteAsync(CdnService service, string provider, CancellationToken cancellationToken)
    {
        var channel = Channel(provider);
        var previous = service.Providers.FirstOrDefault(p => p.Provider == provider)
            ?? new ProviderServiceDetails { Provider = provider, ServiceId = service.ServiceId };
        try
        {
            var op = await channel.InvokeAsync("delete", service.ServiceId, static (p, r, ct) => p.DeleteServiceAsync(r, ct), new ServiceReference(service.ServiceId, previous.VendorServiceId), cancellationToken).ConfigureAwait(false);
            await RecordAsync(service.ServiceId, InProgress(provider, service.ServiceId, ProviderStatus.DeleteInProgress, op, previous) with { Status = ProviderStatus.DeleteInProgress }, cancellationToken).ConfigureAwait(false);
            return new ProviderRun(provider, op, null, "delete");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(service.ServiceId, Failed(provider, service.ServiceId, previous, ex), cancellationToken).ConfigureAwait(false);
            return new ProviderRun(provider, null, ex, "delete");
        }
    }

    private async Task<ProviderPurgeReport> PurgeOnProviderAsync(ProviderServiceDetails holder, PurgeRequest request, CancellationToken cancellationToken)
    {
        var channel = Channel(holder.Provider);
        var capabilities = channel.Provider.Capabilities;
        var unsupported = CapabilityChecker.CheckPurge(request, capabilities, channel.Name);
        if (unsupported.Count > 0)
        {
            Log.PurgeUnsupported(_logger, channel.Name, holder.ServiceId, unsupported[0].Message);
            return new ProviderPurgeReport { Provider = channel.Name, Unsupported = unsupported };
        }

        var reference = new ServiceReference(holder.ServiceId, holder.VendorServiceId);
        var batches = Batch(request, Math.Max(1, capabilities.MaxPurgeBatchSize));
        var outcomes = new (PurgeResult? Ok, FailedPurgeBatch? Failed)[batches.Count];
        if (batches.Count == 1)
        {
            outcomes[0] = await PurgeBatchAsync(channel, reference, batches[0], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, batches.Count),
                new ParallelOptions { MaxDegreeOfParallelism = _options.PurgeConcurrencyPerProvider, CancellationToken = cancellationToken },
                async (i, ct) => outcomes[i] = await PurgeBatchAsync(channel, reference, batches[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        }

        var ok = new List<PurgeResult>(batches.Count);
        var failed = new List<FailedPurgeBatch>();
        foreach (var (r, f) in outcomes)
        {
            if (r is not null)
            {
                ok.Add(r);
            }
            else if (f is not null)
            {
                failed.Add(f);
            }
        }

        Log.PurgeCompleted(_logger, holder.ServiceId, channel.Name, batches.Count, failed.Count);
        return new ProviderPurgeReport { Provider = channel.Name, Succeeded = ok, Failed = failed };
    }

    private static async Task<(PurgeResult?, FailedPurgeBatch?)> PurgeBatchAsync(ProviderChannel channel, ServiceReference reference, PurgeRequest batch, CancellationToken cancellationToken)
    {
        using var permit = await channel.AcquirePurgePermitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await channel.InvokeAsync("purge", reference.ServiceId, static (p, s, ct) => p.PurgeAsync(s.reference, s.batch, ct), (reference, batch), cancellationToken).ConfigureAwait(false);
            PoppyTelemetry.PurgeItems.Add(Math.Max(1, batch.Items.Count), new KeyValuePair<string, object?>("poppy.provider", channel.Name), new KeyValuePair<string, object?>("poppy.outcome", "success"));
            return (result, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            PoppyTelemetry.PurgeItems.Add(Math.Max(1, batch.Items.Count), new KeyValuePair<string, object?>("poppy.provider", channel.Name), new KeyValuePair<string, object?>("poppy.outcome", "failed"));
            return (null, new FailedPurgeBatch(batch.Items, ProviderError.FromException(ex)));
        }
    }

    private static List<PurgeRequest> Batch(PurgeRequest request, int size)
    {
        if (request.Kind == PurgeKind.All || request.Items.Count <= size)
        {
            return [request];
        }

        var batches = new List<PurgeRequest>((request.Items.Count + size - 1) / size);
        for (var i = 0; i < request.Items.Count; i += size)
        {
            var n = Math.Min(size, request.Items.Count - i);
            var items = new string[n];
            for (var j = 0; j < n; j++)
            {
                items[j] = request.Items[i + j];
            }

            batches.Add(request with { Items = items });
        }

        return batches;
    }
}

/// <summary>The outcome of <see cref="PoppyClient.RebuildCatalogAsync"/>.</summary>
/// <param name="ServiceCount">Services found and recorded.</param>
/// <param name="Failures">Providers that could not be listed (their services may be missing).</param>
public sealed record CatalogRebuildReport(int ServiceCount, IReadOnlyList<ProviderAttempt> Failures);
