using System.Globalization;
using System.Runtime.CompilerServices;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Testing;

/// <summary>A service held by an <see cref="InMemoryCdnProvider"/> (an inspection snapshot).</summary>
/// <param name="ServiceId">The stamped Poppy service id.</param>
/// <param name="VendorServiceId">The provider's own id.</param>
/// <param name="Spec">The configuration it holds.</param>
/// <param name="Status">Its status now.</param>
/// <param name="Version">Bumped by every create or update.</param>
public sealed record InMemoryService(string ServiceId, string VendorServiceId, ServiceSpec Spec, ProviderStatus Status, int Version);

/// <summary>A call that reached an <see cref="InMemoryCdnProvider"/>.</summary>
/// <param name="Operation"><c>create</c>, <c>update</c>, <c>delete</c>, <c>get</c>, <c>list</c>, <c>purge</c> or <c>resume</c>.</param>
/// <param name="ServiceId">The service it was about, if any.</param>
public sealed record InMemoryCall(string Operation, string? ServiceId);

/// <summary>A purge an <see cref="InMemoryCdnProvider"/> accepted.</summary>
/// <param name="ServiceId">The service.</param>
/// <param name="Request">The batch.</param>
/// <param name="At">When, on the provider's clock.</param>
public sealed record InMemoryPurge(string ServiceId, PurgeRequest Request, DateTimeOffset At);

/// <summary>
/// An in-memory CDN that behaves like a real asynchronous vendor: services are stamped with the
/// Poppy service id (a retried create finds them), deployments take <see cref="InMemoryCdnProviderOptions.DeploymentDelay"/>
/// on the injected clock, listing pages lazily, and it enforces exactly the capabilities it
/// declares. Faults can be injected through <see cref="Faults"/>; what happened can be inspected
/// through <see cref="Services"/>, <see cref="Calls"/> and <see cref="Purges"/>. Thread-safe.
/// </summary>
public class InMemoryCdnProvider : ICdnProvider
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Resource> _services = new(StringComparer.Ordinal);
    private readonly List<InMemoryCall> _calls = [];
    private readonly List<InMemoryPurge> _purges = [];
    private readonly InMemoryCdnProviderOptions _options;
    private int _nextId;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">Options; defaults when null.</param>
    public InMemoryCdnProvider(InMemoryCdnProviderOptions? options = null)
    {
        _options = options ?? new InMemoryCdnProviderOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.Name);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.DeploymentDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.PageSize, 1);
        Faults = new InMemoryFaults(_options.Name);
    }

    /// <inheritdoc />
    public virtual string Name => _options.Name;

    /// <inheritdoc />
    public virtual CdnCapabilities Capabilities => _options.Capabilities;

    /// <inheritdoc />
    /// <remarks>The in-memory CDN stores the spec as given, so its plan is the capability check and the spec itself.</remarks>
    public virtual ProviderPlan PlanService(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = CapabilityChecker.Check(spec, Capabilities, Name);
        return problems.Count > 0
            ? ProviderPlan.Invalid(Name, problems)
            : ProviderPlan.Valid(Name, $"one in-memory service with {spec.Domains.Count} domain(s) and {spec.Origins.Count} origin(s)", new PlanDocument("service", "application/json", Serialization.PoppyJson.Serialize(spec)));
    }

    /// <summary>
    /// Changes a service's configuration behind the SDK's back, as an edit in a vendor's console would: the
    /// stamped desired spec stays, so <see cref="GetServiceAsync"/> reports the difference as drift.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="edit">The change.</param>
    /// <exception cref="ArgumentException">No such service.</exception>
    public void EditVendorSide(string serviceId, Func<ServiceSpec, ServiceSpec> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        lock (_gate)
        {
            if (!_services.TryGetValue(serviceId, out var resource))
            {
                throw new ArgumentException($"The in-memory CDN '{Name}' holds no service '{serviceId}'.", nameof(serviceId));
            }

            resource.Spec = edit(resource.Spec);
        }
    }

    /// <summary>Faults to inject.</summary>
    public InMemoryFaults Faults { get; }

    /// <summary>The services it holds now.</summary>
    public IReadOnlyList<InMemoryService> Services
    {
        get
        {
            lock (_gate)
            {
                Settle();
                return _services.Values.OrderBy(r => r.VendorId, StringComparer.Ordinal)
                    .Select(r => new InMemoryService(r.ServiceId, r.VendorId, r.Spec, r.Status, r.Version)).ToList();
            }
        }
    }

    /// <summary>Every call that reached it, in order.</summary>
    public IReadOnlyList<InMemoryCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Every purge batch it accepted, in order.</summary>
    public IReadOnlyList<InMemoryPurge> Purges
    {
        get
        {
            lock (_gate)
            {
                return [.. _purges];
            }
        }
    }

    /// <summary>How many list pages were served.</summary>
    public int ListPagesServed { get; private set; }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    /// <summary>How many calls of one operation reached it.</summary>
    /// <param name="operation">The operation name.</param>
    /// <returns>The count.</returns>
    public int CallCount(string operation)
    {
        lock (_gate)
        {
            return _calls.Count(c => c.Operation == operation);
        }
    }

    /// <summary>Forgets every service, call, purge and fault.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _services.Clear();
            _calls.Clear();
            _purges.Clear();
            ListPagesServed = 0;
        }

        Faults.Clear();
    }

    /// <inheritdoc />
    public virtual Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfUnsupported(spec);
        Enter("create", serviceId);
        var halfCreate = Faults.TakeHalfCreate();
        var failDeployment = Faults.TakeFailDeployment();
        int version;
        lock (_gate)
        {
            Settle();
            if (_services.TryGetValue(serviceId, out var existing) && existing.Status != ProviderStatus.DeleteInProgress)
            {
                // The stamp says we already made it: a retried create returns the existing service.
                return Task.FromResult<CdnOperation<ProviderServiceDetails>>(Operation(OperationKind.Create, serviceId, existing.Version));
            }

            var resource = new Resource(serviceId, "mem-" + (++_nextId).ToString("D6", CultureInfo.InvariantCulture), spec)
            {
                Status = ProviderStatus.CreateInProgress,
                Version = 1,
                PendingUntil = Now + _options.DeploymentDelay,
                DeploymentFails = failDeployment,
            };
            _services[serviceId] = resource;
            version = resource.Version;
        }

        if (halfCreate)
        {
            throw new CdnRequestFailedException(Name, "Injected: the service was created but the answer was lost (504).", 504, CdnErrorCode.Timeout, isTransient: true, vendorErrorCode: "injected");
        }

        return Task.FromResult<CdnOperation<ProviderServiceDetails>>(Operation(OperationKind.Create, serviceId, version));
    }

    /// <inheritdoc />
    public virtual Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfUnsupported(spec);
        Enter("update", service.ServiceId);
        var failDeployment = Faults.TakeFailDeployment();
        lock (_gate)
        {
            var resource = Find(service) ?? throw NotFound(service);
            resource.Spec = spec;
            resource.Desired = spec;
            resource.Version++;
            resource.Status = ProviderStatus.UpdateInProgress;
            resource.PendingUntil = Now + _options.DeploymentDelay;
            resource.DeploymentFails = failDeployment;
            return Task.FromResult<CdnOperation<ProviderServiceDetails>>(Operation(OperationKind.Update, resource.ServiceId, resource.Version));
        }
    }

    /// <inheritdoc />
    public virtual Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Enter("delete", service.ServiceId);
        lock (_gate)
        {
            var resource = Find(service);
            if (resource is null)
            {
                return Task.FromResult<CdnOperation>(CdnOperations.Completed(new OperationId(Name, OperationKind.Delete, service.ServiceId + ":0").ToString(), service));
            }

            resource.Status = ProviderStatus.DeleteInProgress;
            resource.PendingUntil = Now + _options.DeploymentDelay;
            resource.DeploymentFails = false;
            Settle();
            return Task.FromResult<CdnOperation>(DeleteOperation(resource.ServiceId, resource.Version));
        }
    }

    /// <inheritdoc />
    public virtual Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Enter("get", service.ServiceId);
        lock (_gate)
        {
            Settle();
            var resource = Find(service);
            return Task.FromResult(resource is null ? null : Read(resource));
        }
    }

    /// <inheritdoc />
    public virtual async IAsyncEnumerable<ProviderService> ListServicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Enter("list", null);
            List<ProviderService> page;
            lock (_gate)
            {
                Settle();
                page = _services.Values
                    .Where(r => after is null || string.CompareOrdinal(r.VendorId, after) > 0)
                    .OrderBy(r => r.VendorId, StringComparer.Ordinal)
                    .Take(_options.PageSize)
                    .Select(Read)
                    .ToList();
                ListPagesServed++;
            }

            foreach (var item in page)
            {
                yield return item;
            }

            if (page.Count < _options.PageSize)
            {
                yield break;
            }

            after = page[^1].Details.VendorServiceId;
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public virtual Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var problems = request.Validate().Concat(CapabilityChecker.CheckPurge(request, Capabilities, Name)).ToList();
        if (request.Items.Count > Capabilities.MaxPurgeBatchSize)
        {
            problems.Add(new ValidationProblem("/items", $"{request.Items.Count} items, but one purge call takes at most {Capabilities.MaxPurgeBatchSize}.") { Provider = Name });
        }

        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems, CdnValidationException.PurgeRequestSubject);
        }

        Enter("purge", service.ServiceId);
        lock (_gate)
        {
            var resource = Find(service) ?? throw NotFound(service);
            _purges.Add(new InMemoryPurge(resource.ServiceId, request, Now));
            return Task.FromResult(new PurgeResult
            {
                Provider = Name,
                Items = request.Items,
                VendorPurgeIds = ["purge-" + _purges.Count.ToString(CultureInfo.InvariantCulture)],
            });
        }
    }

    /// <inheritdoc />
    /// <remarks>Recorded as the operation <c>verify</c>; faults apply to it like to any call.</remarks>
    public virtual Task VerifyAccessAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Enter("verify", null);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public virtual Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        cancellationToken.ThrowIfCancellationRequested();
        var id = OperationId.Parse(operationId, Name);
        var colon = id.Payload.LastIndexOf(':');
        if (id.Kind == OperationKind.Purge || colon <= 0
            || !int.TryParse(id.Payload.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new ArgumentException($"'{operationId}' is not an operation id of provider '{Name}'.", nameof(operationId));
        }

        var serviceId = id.Payload[..colon];
        Enter("resume", serviceId);
        return Task.FromResult(id.Kind == OperationKind.Delete ? (CdnOperation)DeleteOperation(serviceId, version) : Operation(id.Kind, serviceId, version));
    }

    private InMemoryOperation<ProviderServiceDetails> Operation(OperationKind kind, string serviceId, int version) =>
        new(new OperationId(Name, kind, serviceId + ":" + version.ToString(CultureInfo.InvariantCulture)).ToString(), () => PollDeployment(serviceId, version));

    private InMemoryOperation<ServiceReference> DeleteOperation(string serviceId, int version) =>
        new(new OperationId(Name, OperationKind.Delete, serviceId + ":" + version.ToString(CultureInfo.InvariantCulture)).ToString(), () => PollDelete(serviceId));

    private OperationState<ServiceReference> PollDelete(string serviceId)
    {
        Faults.ThrowIfFaulted("poll");
        lock (_gate)
        {
            _services.TryGetValue(serviceId, out var resource);
            if (resource is null || resource.Status != ProviderStatus.DeleteInProgress)
            {
                Settle();
                return resource is null ? OperationState<ServiceReference>.Success(new ServiceReference(serviceId)) : OperationState<ServiceReference>.Pending("deleting");
            }

            if (resource.PendingUntil is { } until && Now < until)
            {
                return OperationState<ServiceReference>.Pending("deleting", Remaining(until, Now));
            }

            _services.Remove(serviceId);
            return OperationState<ServiceReference>.Success(new ServiceReference(serviceId, resource.VendorId));
        }
    }

    private OperationState<ProviderServiceDetails> PollDeployment(string serviceId, int version)
    {
        Faults.ThrowIfFaulted("poll");
        lock (_gate)
        {
            var now = Now;
            _services.TryGetValue(serviceId, out var resource);
            if (resource is null)
            {
                return OperationState<ProviderServiceDetails>.Failure(new CdnRequestFailedException(Name, $"Service '{serviceId}' no longer exists.", 404, CdnErrorCode.NotFound, isTransient: false));
            }

            if (resource.Version > version)
            {
                return OperationState<ProviderServiceDetails>.Success(Details(resource), "superseded by a later change");
            }

            if (resource.PendingUntil is { } due && now < due)
            {
                return OperationState<ProviderServiceDetails>.Pending(resource.Status == ProviderStatus.CreateInProgress ? "creating" : "updating", Remaining(due, now));
            }

            Settle();
            return resource.Status == ProviderStatus.Failed
                ? OperationState<ProviderServiceDetails>.Failure(new CdnRequestFailedException(Name, "Injected: the deployment failed.", 500, CdnErrorCode.ServerError, isTransient: true, vendorErrorCode: "injected"))
                : OperationState<ProviderServiceDetails>.Success(Details(resource), "deployed");
        }
    }

    private static TimeSpan Remaining(DateTimeOffset until, DateTimeOffset now)
    {
        var left = until - now;
        return left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5);
    }

    private CdnRequestFailedException NotFound(ServiceReference service) =>
        new(Name, $"Service '{service.ServiceId}' does not exist.", 404, CdnErrorCode.NotFound, isTransient: false);

    private void ThrowIfUnsupported(ServiceSpec spec)
    {
        var problems = CapabilityChecker.Check(spec, Capabilities, Name);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems);
        }
    }

    private void Enter(string operation, string? serviceId)
    {
        lock (_gate)
        {
            _calls.Add(new InMemoryCall(operation, serviceId));
        }

        Faults.ThrowIfFaulted(operation);
    }

    private Resource? Find(ServiceReference service)
    {
        if (service.VendorServiceId is { } vendorId)
        {
            return _services.Values.FirstOrDefault(r => r.VendorId == vendorId);
        }

        return _services.TryGetValue(service.ServiceId, out var r) ? r : null;
    }

    /// <summary>Completes deployments whose time has come (called under the lock).</summary>
    private void Settle()
    {
        var now = Now;
        List<string>? gone = null;
        foreach (var r in _services.Values)
        {
            if (r.PendingUntil is not { } until || now < until)
            {
                continue;
            }

            r.PendingUntil = null;
            if (r.Status == ProviderStatus.DeleteInProgress)
            {
                (gone ??= []).Add(r.ServiceId);
            }
            else
            {
                r.Status = r.DeploymentFails ? ProviderStatus.Failed : ProviderStatus.Deployed;
            }
        }

        foreach (var id in gone ?? [])
        {
            _services.Remove(id);
        }
    }

    private ProviderService Read(Resource r) =>
        new() { Details = Details(r), Spec = r.Spec, Drift = ServiceSpecComparer.Compare(r.Desired, r.Spec) };

    private ProviderServiceDetails Details(Resource r) => new()
    {
        Provider = Name,
        ServiceId = r.ServiceId,
        VendorServiceId = r.VendorId,
        Status = r.Status,
        AccessUrls = r.Spec.Domains.Select(d => new AccessUrl(d.Domain, d.Domain.Replace('.', '-') + "." + _options.AccessUrlSuffix)).ToList(),
        CertificateStatuses = r.Spec.Domains.Where(d => d.Protocol == DomainProtocol.Https)
            .ToDictionary(d => d.Domain, _ => r.Status == ProviderStatus.Deployed ? CertificateStatus.Deployed : CertificateStatus.CreateInProgress),
    };

    private sealed class Resource(string serviceId, string vendorId, ServiceSpec spec)
    {
        public string ServiceId { get; } = serviceId;

        public string VendorId { get; } = vendorId;

        public ServiceSpec Spec { get; set; } = spec;

        public ServiceSpec Desired { get; set; } = spec;

        public ProviderStatus Status { get; set; }

        public int Version { get; set; }

        public DateTimeOffset? PendingUntil { get; set; }

        public bool DeploymentFails { get; set; }
    }
}
