using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Fastly.Internal;
using Poppy.Sdk.Fastly.Internal.Api;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Fastly;

/// <summary>
/// The Fastly provider: provisions a Fastly VCL service per Poppy service (domains, backends, conditions,
/// cache settings, ACLs and a 403 response object), reads it back, and purges it.
/// </summary>
/// <remarks>
/// <para>
/// Each Poppy service becomes one Fastly service named <c>poppy-&lt;service id&gt;</c> whose comment is
/// <c>poppy:service_id=&lt;service id&gt;</c>. A create first searches for that name, so a retried create
/// finds the service it already made and converges it instead of creating a second one.
/// </para>
/// <para>
/// <see cref="PlanService"/> translates a spec offline; create and update deploy exactly that plan (and throw its
/// problems before any call). Changes are made on a draft version (version 1 of a new service, or a clone of the
/// active version), validated, then activated. Activation is synchronous, so every operation this provider returns
/// has already completed. Only the objects whose difference matters are deleted and re-created, and nothing is
/// deployed when the active version already matches the spec.
/// </para>
/// <para>
/// Construct it with an <see cref="HttpClient"/> that authenticates (<see cref="CreateHttpClient"/>) and options, or
/// register it with <c>AddFastly()</c>.
/// </para>
/// </remarks>
public class FastlyCdnProvider : ICdnProvider
{
    private readonly FastlyCdnProviderOptions _options = null!;
    private readonly ILogger _logger = NullLogger.Instance;
    private readonly CdnCapabilities _capabilities = null!;
    private readonly FastlyTranslator _translator = null!;
    private readonly FastlyPlanner _planner = null!;
    private readonly FastlyServiceReader _reader = null!;
    private readonly FastlyServiceWriter _writer = null!;
    private readonly FastlyPurger _purger = null!;
    private readonly FastlyApi _api = null!;

    /// <summary>Creates the provider.</summary>
    /// <param name="httpClient">
    /// The client used for the Fastly API; it must authenticate its requests (its own base address is not used; see
    /// <see cref="FastlyCdnProviderOptions.BaseAddress"/>). The provider never adds the token itself: use
    /// <see cref="CreateHttpClient"/> without DI; <c>AddFastly()</c> registers a client that does.
    /// </param>
    /// <param name="options">The account options; copied, and validated here.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no API token).</exception>
    public FastlyCdnProvider(HttpClient httpClient, FastlyCdnProviderOptions options, TimeProvider? timeProvider = null, ILogger<FastlyCdnProvider>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _options = options.Clone();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _capabilities = BuildCapabilities(_options);
        _translator = new FastlyTranslator(_options);
        _planner = new FastlyPlanner(_options.Name, _capabilities, _translator);
        _api = new FastlyApi(httpClient, _options, timeProvider ?? TimeProvider.System, _logger);
        _reader = new FastlyServiceReader(_api, _translator, _options.Name, _logger);
        _writer = new FastlyServiceWriter(_api, _reader, _logger);
        _purger = new FastlyPurger(_api, _reader, _capabilities, _options.Name, _logger);
    }

    /// <summary>For mocking frameworks only.</summary>
    protected FastlyCdnProvider()
    {
    }

    /// <inheritdoc />
    public virtual string Name => _options.Name;

    /// <summary>
    /// What Fastly can honour through this provider: every restriction kind and access mode, per path;
    /// per-path caching; several origins routed by path; every host header mode and origin port; only the
    /// shared certificate (TLS subscriptions are not mapped); URL, surrogate-key and purge-all purges, soft
    /// for URLs and keys, at most 256 items per batch; no log delivery; synchronous deployment.
    /// </summary>
    public virtual CdnCapabilities Capabilities => _capabilities;

    /// <summary>
    /// An <see cref="HttpClient"/> for the provider without DI: it adds the <c>Fastly-Key</c> header (from
    /// <paramref name="options"/>, read per request) to every request, once, in front of <paramref name="innerHandler"/>.
    /// With DI, <c>AddFastly()</c> puts the same handler on the named client instead.
    /// </summary>
    /// <param name="options">The account options (the token is read from them when each request is sent).</param>
    /// <param name="innerHandler">The handler that sends the requests (a test handler, your own pipeline); a new
    /// <see cref="SocketsHttpHandler"/> when null. Disposed with the client.</param>
    /// <returns>The client; the caller owns it.</returns>
    public static HttpClient CreateHttpClient(FastlyCdnProviderOptions options, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpClient(new FastlyAuthHandler(() => options.ApiToken) { InnerHandler = innerHandler ?? new SocketsHttpHandler() });
    }

    /// <inheritdoc />
    /// <remarks>
    /// Offline: the capability check and every Fastly rule of the translator (for example a domain under the shared
    /// certificate's domain, or a request URL with a query string, which <c>req.url.path</c> never has). A valid plan
    /// holds one <c>application/json</c> document per Fastly object type (<c>domain</c>, <c>backend</c>,
    /// <c>condition</c>, <c>cache_settings</c>, <c>response_object</c>, <c>acl</c>, <c>settings</c>, <c>version</c>),
    /// with the fields create and update send.
    /// </remarks>
    public virtual ProviderPlan PlanService(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _planner.Plan(spec).Plan;
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(spec);
        if (ServiceStamp.Problem(serviceId) is { } stampProblem)
        {
            throw new ArgumentException(stampProblem, nameof(serviceId));
        }

        #region create-prepare (docs/extending/writing-a-provider.md)
        var (normalized, desired) = _planner.Prepare(spec, ValidationMode.Create);
        #endregion
        FastlyLog.Creating(_logger, serviceId);
        var existing = await _api.Services.SearchAsync(FastlyTranslator.ServiceName(serviceId), cancellationToken).ConfigureAwait(false);
        (string VendorId, int Version) deployed;
        if (existing is not null)
        {
            FastlyLog.Converging(_logger, serviceId, _reader.RequireStamp(existing, serviceId));
            deployed = await _writer.DeployAsync(serviceId, existing, desired, isUpdate: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            deployed = await _writer.CreateAsync(serviceId, desired, cancellationToken).ConfigureAwait(false);
        }

        return Deployed(OperationKind.Create, serviceId, deployed, normalized);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, desired) = _planner.Prepare(spec, ValidationMode.Update);
        var found = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw NoService(service);
        var deployed = await _writer.DeployAsync(service.ServiceId, found, desired, isUpdate: true, cancellationToken).ConfigureAwait(false);
        return Deployed(OperationKind.Update, service.ServiceId, deployed, normalized);
    }

    /// <inheritdoc />
    /// <returns>A completed <see cref="CdnOperation{T}"/> whose value is the deleted service's reference.</returns>
    public virtual async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            FastlyLog.NotFound(_logger, service.ServiceId);
            return CdnOperations.Completed(DeleteId(service.VendorServiceId, service.ServiceId), service);
        }

        await _writer.DeleteAsync(service.ServiceId, found, cancellationToken).ConfigureAwait(false);
        return CdnOperations.Completed(DeleteId(found.Id, service.ServiceId), new ServiceReference(service.ServiceId, found.Id));
    }

    /// <inheritdoc />
    /// <remarks><see cref="ProviderService.Drift"/> compares the spec stamped in the active version's manifest with what the version holds.</remarks>
    public virtual async Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            FastlyLog.NotFound(_logger, service.ServiceId);
            return null;
        }

        return await _reader.ReadServiceAsync(service.ServiceId, found, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One authenticated <c>GET /service?page=1&amp;per_page=1</c>; reads do not count against Fastly's hourly limit.</remarks>
    public virtual Task VerifyAccessAsync(CancellationToken cancellationToken = default) =>
        _api.Services.ProbeAsync(cancellationToken);

    /// <inheritdoc />
    public virtual async IAsyncEnumerable<ProviderService> ListServicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var page = 1; ; page++)
        {
            var (items, hasMore) = await _api.Services.ListAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                if (ServiceStamp.Parse(item.Comment) is not { } serviceId || item.Id is null)
                {
                    continue;
                }

                var service = item.Versions is null
                    ? await _api.Services.GetAsync(item.Id, cancellationToken).ConfigureAwait(false)
                    : item;
                if (service is not null)
                {
                    yield return await _reader.ReadServiceAsync(serviceId, service, cancellationToken).ConfigureAwait(false);
                }
            }

            if (!hasMore || items.Count == 0)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// One batch of at most 256 items. URLs: a path (<c>/a.png</c>) is purged on every domain of the service
    /// (<c>POST /purge/&lt;domain&gt;/a.png</c>), a full URL on its own host. Tags: one bulk call. All: <c>purge_all</c>,
    /// which Fastly cannot do softly. Soft purges send <c>Fastly-Soft-Purge: 1</c>. Prefix and host purges do not exist
    /// on Fastly and are rejected with <see cref="CdnValidationException"/> before any call. A 429 is thrown as
    /// <see cref="CdnRateLimitedException"/> without waiting; Fastly purges are idempotent, so
    /// <see cref="PurgeRequest.IdempotencyKey"/> is not needed.
    /// </remarks>
    public virtual async Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(request);
        var problems = _purger.Check(request);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems, CdnValidationException.PurgeRequestSubject);
        }

        return await _purger.PurgeAsync(service, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Fastly operations finish within the call, so resuming re-reads the service: a create or update
    /// completes with the service's current details (or fails with <see cref="CdnErrorCode.NotFound"/> when
    /// it is gone); a delete completes when the service is gone. Ids: <c>&lt;name&gt;:create:&lt;vendor id&gt;:&lt;version&gt;</c>,
    /// <c>&lt;name&gt;:update:…</c>, <c>&lt;name&gt;:delete:&lt;vendor id&gt;:&lt;service id&gt;</c>.
    /// </remarks>
    #region resume-parse (docs/extending/writing-a-provider.md)
    public virtual async Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        var id = OperationId.Parse(operationId, Name);
    #endregion
        var colon = id.Payload.IndexOf(':', StringComparison.Ordinal);
        var vendorId = colon > 0 ? id.Payload[..colon] : "";
        var rest = colon > 0 ? id.Payload[(colon + 1)..] : "";
        var valid = id.Kind switch
        {
            OperationKind.Delete => vendorId.Length > 0 && rest.Length > 0,
            OperationKind.Create or OperationKind.Update => vendorId.Length > 0 && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            _ => false,
        };
        if (!valid)
        {
            throw new ArgumentException($"'{operationId}' is not a Fastly operation id ({Name}:<create|update>:<vendor id>:<version> or {Name}:delete:<vendor id>:<service id>).", nameof(operationId));
        }

        var service = vendorId == "-" ? null : await _api.Services.GetAsync(vendorId, cancellationToken).ConfigureAwait(false);
        if (id.Kind == OperationKind.Delete)
        {
            return service is null
                ? CdnOperations.Completed(operationId, new ServiceReference(rest, vendorId == "-" ? null : vendorId))
                : CdnOperations.Failed<ServiceReference>(operationId, new CdnRequestFailedException(Name, $"Fastly service '{vendorId}' still exists; delete it again.", 409, CdnErrorCode.Conflict, isTransient: true));
        }

        if (service is null || ServiceStamp.Parse(service.Comment) is not { } serviceId)
        {
            return CdnOperations.Failed<ProviderServiceDetails>(operationId, new CdnRequestFailedException(Name, $"Fastly service '{vendorId}' no longer exists.", 404, CdnErrorCode.NotFound, isTransient: false));
        }

        var read = await _reader.ReadServiceAsync(serviceId, service, cancellationToken).ConfigureAwait(false);
        return CdnOperations.Completed(operationId, read.Details);
    }

    // ------------------------------------------------------------------ steps

    private static CdnCapabilities BuildCapabilities(FastlyCdnProviderOptions options) => new()
    {
        Restrictions = RestrictionSupport.All,
        PerPathRestrictions = RestrictionSupport.All,
        PerPathCaching = true,
        MultipleOrigins = true,
        HostHeaders = HostHeaderSupport.All,
        OriginPorts = null,
        Ipv6Origins = true,
        Certificates = CertificateSupport.Shared,
        Purge = PurgeSupport.Url | PurgeSupport.Tag | PurgeSupport.All | PurgeSupport.Soft,
        LogDelivery = false,
        MaxDomains = 10,
        MaxOrigins = 10,
        MaxRules = 100,
        MaxPurgeBatchSize = PurgeClient.MaxKeysPerCall,
        PurgeRateLimit = options.PurgeRequestsPerSecond > 0
            ? new PurgeRateLimit(options.PurgeRequestsPerSecond, TimeSpan.FromSeconds(1), options.PurgeBurst > 0 ? options.PurgeBurst : options.PurgeRequestsPerSecond)
            : null,
        WriteRateLimit = FastlyWriteBudget.Limit(options),
        AsynchronousDeployment = false,
    };

    private CdnOperation<ProviderServiceDetails> Deployed(OperationKind kind, string serviceId, (string VendorId, int Version) deployed, ServiceSpec normalized) =>
        #region completed (docs/extending/writing-a-provider.md)
        CdnOperations.Completed(
            new OperationId(Name, kind, deployed.VendorId + ":" + deployed.Version.ToString(CultureInfo.InvariantCulture)).ToString(),
            _translator.Details(Name, serviceId, deployed.VendorId, normalized.Domains, ProviderStatus.Deployed));
        #endregion

    private string DeleteId(string? vendorId, string serviceId) =>
        new OperationId(Name, OperationKind.Delete, (string.IsNullOrEmpty(vendorId) ? "-" : vendorId) + ":" + serviceId).ToString();

    private CdnRequestFailedException NoService(ServiceReference service) =>
        new(Name, $"Fastly has no service for Poppy service '{service.ServiceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);
}
