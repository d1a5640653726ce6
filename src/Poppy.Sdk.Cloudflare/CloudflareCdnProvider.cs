using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Cloudflare.Internal;
using Poppy.Sdk.Cloudflare.Internal.Api;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Cloudflare;

/// <summary>
/// The Cloudflare provider (Cloudflare for SaaS): each Poppy service is its domains as custom hostnames on the
/// configured SaaS zone, plus its rules in the zone's phase entry points (origin, cache and custom firewall rules).
/// </summary>
/// <remarks>
/// <para>
/// Cloudflare has no "service" object. Every custom hostname carries the Poppy service id in its <c>custom_metadata</c>
/// (the first one also the desired spec), and every rule a <c>ref</c> of <c>poppy:service_id=&lt;id&gt;#&lt;role&gt;-&lt;n&gt;</c>
/// and an expression scoped to the service's hosts (<c>http.host in {…}</c>). Rules are written with the single-rule
/// endpoints, never by replacing a phase, so services sharing the zone never overwrite each other.
/// </para>
/// <para>
/// Create and update converge: hostnames are looked up by name, rules by <c>ref</c>. The operation they return completes
/// when every hostname (and every HTTPS domain's certificate) is active; until then its status names the validation
/// records the domain owner must publish (<see cref="GetDomainValidationsAsync"/> returns them as data). The vendor
/// service id is the zone id.
/// </para>
/// </remarks>
public class CloudflareCdnProvider : ICdnProvider
{
    private readonly CloudflareCdnProviderOptions _options = null!;
    private readonly ILogger _logger = NullLogger.Instance;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly CdnCapabilities _capabilities = null!;
    private readonly CloudflareTranslator _translator = null!;
    private readonly CloudflarePlanner _planner = null!;
    private readonly CloudflareServiceReader _reader = null!;
    private readonly CloudflareServiceWriter _writer = null!;
    private readonly CloudflarePurger _purger = null!;
    private readonly CloudflareApi _api = null!;

    /// <summary>Creates the provider.</summary>
    /// <param name="httpClient">
    /// The client used for the Cloudflare API; it must authenticate its requests (its own base address is not used; see
    /// <see cref="CloudflareCdnProviderOptions.BaseAddress"/>): use <see cref="CreateHttpClient"/> without DI;
    /// <c>AddCloudflare()</c> registers a client that does.
    /// </param>
    /// <param name="options">The zone's options; copied, and validated here.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no API token or zone id).</exception>
    public CloudflareCdnProvider(HttpClient httpClient, CloudflareCdnProviderOptions options, TimeProvider? timeProvider = null, ILogger<CloudflareCdnProvider>? logger = null)
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
        _time = timeProvider ?? TimeProvider.System;
        _translator = new CloudflareTranslator(_options);
        _capabilities = BuildCapabilities(_options, _translator.Limits);
        _planner = new CloudflarePlanner(_options.Name, _capabilities, _translator);
        _api = new CloudflareApi(httpClient, _options, _time, _logger);
        _reader = new CloudflareServiceReader(_api, _translator, _options.Name, _logger);
        _writer = new CloudflareServiceWriter(_api, _reader, _options, _logger);
        _purger = new CloudflarePurger(_api, _reader, _capabilities, _options, _translator.Limits.UrlsPerPurgeCall, _logger);
    }

    /// <summary>For mocking frameworks only.</summary>
    protected CloudflareCdnProvider()
    {
    }

    /// <inheritdoc />
    public virtual string Name => _options.Name;

    /// <summary>
    /// What Cloudflare can honour through this provider: every restriction kind and access mode, per path; per-path
    /// caching; several origins routed by path; every host header mode and origin port; DNS-name origins only; DV
    /// certificates for <c>sni</c> and <c>san</c> domains; URL, prefix, tag, host and whole-service purges (soft only
    /// with <see cref="CloudflareCdnProviderOptions.TreatSoftPurgeAsHard"/>), 100 items per batch, paced per plan; no log
    /// delivery; asynchronous deployment (hostname and certificate validation).
    /// </summary>
    public virtual CdnCapabilities Capabilities => _capabilities;

    /// <summary>
    /// An <see cref="HttpClient"/> for the provider without DI: it adds <c>Authorization: Bearer</c> (from
    /// <paramref name="options"/>, read per request) to every request, once, in front of <paramref name="innerHandler"/>.
    /// </summary>
    /// <param name="options">The zone's options (the token is read from them when each request is sent).</param>
    /// <param name="innerHandler">The handler that sends the requests; a new <see cref="SocketsHttpHandler"/> when null. Disposed with the client.</param>
    /// <returns>The client; the caller owns it.</returns>
    public static HttpClient CreateHttpClient(CloudflareCdnProviderOptions options, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpClient(new CloudflareAuthHandler(() => options.ApiToken) { InnerHandler = innerHandler ?? new SocketsHttpHandler() });
    }

    /// <inheritdoc />
    /// <remarks>
    /// Offline: the capability check and every Cloudflare rule (origins with different <c>ssl</c>, a TTL under the plan's
    /// minimum edge TTL, more rules than the plan allows, a request URL with a query string, a string the Rules language
    /// cannot hold). A valid plan holds the custom hostname bodies (<c>custom_hostnames</c>) and each phase's rules
    /// (<c>rules/&lt;phase&gt;</c>), as create sends them, with <c>{service_id}</c> for the service id.
    /// </remarks>
    public virtual ProviderPlan PlanService(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _planner.Plan(CloudflarePlanner.PlanServiceId, spec).Plan;
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

        var (normalized, desired) = _planner.Prepare(serviceId, spec, ValidationMode.Create);
        var written = await _writer.ApplyAsync(serviceId, desired, [], cancellationToken).ConfigureAwait(false);
        return Deployment(OperationKind.Create, serviceId, normalized.Domains, written);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, desired) = _planner.Prepare(service.ServiceId, spec, ValidationMode.Update);
        var previous = await _reader.ScanAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
        if (previous.Count == 0)
        {
            throw NoService(service.ServiceId);
        }

        var written = await _writer.ApplyAsync(service.ServiceId, desired, previous, cancellationToken).ConfigureAwait(false);
        return Deployment(OperationKind.Update, service.ServiceId, normalized.Domains, written);
    }

    /// <inheritdoc />
    /// <remarks>Deletes the service's rules, then its custom hostnames, in the call; the operation has completed.</remarks>
    public virtual async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var hostnames = await _reader.ScanAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
        var rules = await _reader.ReadRulesAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
        if (hostnames.Count == 0 && rules.All(p => p.Ours.Count == 0))
        {
            CloudflareLog.NotFound(_logger, service.ServiceId);
        }
        else
        {
            await _writer.DeleteAsync(service.ServiceId, hostnames, rules, cancellationToken).ConfigureAwait(false);
        }

        return CdnOperations.Completed(DeleteId(service.ServiceId), new ServiceReference(service.ServiceId, _options.ZoneId));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Pages through the zone's custom hostnames for the stamped ones and reads the three entry points.
    /// <see cref="ProviderService.Drift"/> compares the spec stamped on the first hostname with what the zone holds,
    /// including any rule whose expression or parameters were changed outside Poppy.
    /// </remarks>
    public virtual async Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var hostnames = await _reader.ScanAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
        if (hostnames.Count == 0)
        {
            CloudflareLog.NotFound(_logger, service.ServiceId);
            return null;
        }

        var rules = await _reader.ReadRulesAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
        return _reader.ReadService(service.ServiceId, hostnames, rules);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Pages lazily through the zone's custom hostnames (<c>result_info</c>); a service is yielded when the page holding
    /// its stamped manifest is read (its other hostnames are looked up by name); services without a manifest are yielded
    /// at the end. The entry points are read once per enumeration.
    /// </remarks>
    public virtual async IAsyncEnumerable<ProviderService> ListServicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Dictionary<string, CfRulesetDto?>? entryPoints = null;
        var yielded = new HashSet<string>(StringComparer.Ordinal);
        var withoutManifest = new Dictionary<string, List<CfCustomHostnameDto>>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var (items, hasMore) = await _api.Hostnames.ListAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                if (CloudflareServiceReader.StampOf(item) is not { } serviceId || yielded.Contains(serviceId))
                {
                    continue;
                }

                var manifest = item.CustomMetadata is { } m ? SpecManifest.Join(m) : null;
                if (manifest is null)
                {
                    (withoutManifest.TryGetValue(serviceId, out var list) ? list : withoutManifest[serviceId] = []).Add(item);
                    continue;
                }

                var hostnames = new List<CfCustomHostnameDto> { item };
                foreach (var domain in manifest.Domains.Where(d => !string.Equals(d.Domain, item.Hostname, StringComparison.OrdinalIgnoreCase)))
                {
                    if (await _api.Hostnames.FindAsync(domain.Domain, cancellationToken).ConfigureAwait(false) is { } other && CloudflareServiceReader.IsStamped(other, serviceId))
                    {
                        hostnames.Add(other);
                    }
                }

                entryPoints ??= await ReadEntryPointsAsync(cancellationToken).ConfigureAwait(false);
                yielded.Add(serviceId);
                withoutManifest.Remove(serviceId);
                yield return _reader.ReadService(serviceId, hostnames, Phases.All.Select(p => CloudflareServiceReader.Ours(p, entryPoints[p], serviceId)).ToList());
            }

            if (!hasMore)
            {
                break;
            }
        }

        foreach (var (serviceId, hostnames) in withoutManifest)
        {
            entryPoints ??= await ReadEntryPointsAsync(cancellationToken).ConfigureAwait(false);
            yield return _reader.ReadService(serviceId, hostnames, Phases.All.Select(p => CloudflareServiceReader.Ours(p, entryPoints[p], serviceId)).ToList());
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// One batch of at most 100 items, scoped to the service: a path (<c>/a.png</c>) is purged as
    /// <c>https://&lt;domain&gt;/a.png</c> on every domain, a full URL only on one of the service's domains; prefixes as
    /// <c>&lt;domain&gt;/prefix</c> (no scheme) on every domain; tags as they are (Cloudflare's tags are zone-wide); hosts only
    /// the service's; everything as a purge of the service's hosts, never the whole zone. Items that expand past
    /// Cloudflare's per-call limit (100; 500 URLs on Enterprise) are sent in several calls. Cloudflare has no soft purge:
    /// it is refused unless <see cref="CloudflareCdnProviderOptions.TreatSoftPurgeAsHard"/>. A 429 is thrown as
    /// <see cref="CdnRateLimitedException"/> at once; purges are idempotent, so <see cref="PurgeRequest.IdempotencyKey"/> is not needed.
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
    /// Ids: <c>&lt;name&gt;:create:&lt;zone id&gt;:&lt;custom hostname ids, comma-separated&gt;:&lt;service id&gt;</c> (and
    /// <c>update</c>): polls read those hostnames until active; <c>&lt;name&gt;:delete:&lt;zone id&gt;:-:&lt;service id&gt;</c>:
    /// completes when no hostname is stamped for the service any more.
    /// </remarks>
    public virtual async Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        var id = OperationId.Parse(operationId, Name);
        var parts = id.Payload.Split(':', 3);
        if (parts.Length != 3 || parts[0] != _options.ZoneId || parts[2].Length == 0 || id.Kind is not (OperationKind.Create or OperationKind.Update or OperationKind.Delete) || (id.Kind == OperationKind.Delete) != (parts[1] == "-"))
        {
            throw new ArgumentException($"'{operationId}' is not a Cloudflare operation id of zone '{_options.ZoneId}' ({Name}:<create|update>:<zone id>:<hostname ids>:<service id> or {Name}:delete:<zone id>:-:<service id>).", nameof(operationId));
        }

        var serviceId = parts[2];
        if (id.Kind == OperationKind.Delete)
        {
            var left = await _reader.ScanAsync(serviceId, cancellationToken).ConfigureAwait(false);
            return left.Count == 0
                ? CdnOperations.Completed(operationId, new ServiceReference(serviceId, _options.ZoneId))
                : CdnOperations.Failed<ServiceReference>(operationId, new CdnRequestFailedException(Name, $"Cloudflare still holds {left.Count} custom hostname(s) of service '{serviceId}'; delete it again.", 409, CdnErrorCode.Conflict, isTransient: true));
        }

        var ids = parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var operation = new CloudflareOperation<ProviderServiceDetails>(operationId, ct => PollAsync(operationId, id.Kind, serviceId, ids, null, ct), _options.PollingInterval, _time);
        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <summary>
    /// The validation state of each domain of a service: the custom hostname's and certificate's status, and the
    /// ownership and certificate validation records the domain's owner must publish (a TXT record or an HTTP file) —
    /// Cloudflare cannot activate the domain without them.
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per custom hostname of the service; empty when it has none.</returns>
    public virtual async Task<IReadOnlyList<CloudflareDomainValidation>> GetDomainValidationsAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var hostnames = await _reader.ScanAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
        return hostnames.Select(CloudflareValidation.Of).ToList();
    }

    /// <inheritdoc />
    /// <remarks>One authenticated <c>GET /user/tokens/verify</c> (no zone scan); an inactive or refused token is the mapped error.</remarks>
    public virtual async Task VerifyAccessAsync(CancellationToken cancellationToken = default)
    {
        var token = await _api.Zones.VerifyTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token.Status != "active")
        {
            throw new CdnRequestFailedException(Name, $"The Cloudflare API token is {token.Status ?? "not active"}.", 401, CdnErrorCode.Unauthorized, isTransient: false);
        }
    }

    /// <summary>
    /// Checks the configuration against Cloudflare: the token is active (<c>GET /user/tokens/verify</c>) and can read the
    /// SaaS zone (<c>GET /zones/{zone_id}</c>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>Every problem found, in words; empty when both checks pass.</returns>
    public virtual async Task<IReadOnlyList<string>> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var token = await _api.Zones.VerifyTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token.Status != "active")
        {
            problems.Add($"The API token is {token.Status ?? "not active"}.");
        }

        if (await _api.Zones.GetAsync(_options.ZoneId, cancellationToken).ConfigureAwait(false) is null)
        {
            problems.Add($"The token cannot read zone '{_options.ZoneId}' (no such zone, or no Zone Read permission).");
        }

        return problems;
    }

    // ------------------------------------------------------------------ steps

    private static CdnCapabilities BuildCapabilities(CloudflareCdnProviderOptions options, PlanLimits limits) => new()
    {
        Restrictions = RestrictionSupport.All,
        PerPathRestrictions = RestrictionSupport.All,
        PerPathCaching = true,
        MultipleOrigins = true,
        HostHeaders = HostHeaderSupport.All,
        OriginPorts = null,
        Ipv6Origins = false,
        IpAddressOrigins = false,
        Certificates = CertificateSupport.Sni | CertificateSupport.San,
        Purge = PurgeSupport.Url | PurgeSupport.Prefix | PurgeSupport.Tag | PurgeSupport.Host | PurgeSupport.All | (options.TreatSoftPurgeAsHard ? PurgeSupport.Soft : PurgeSupport.None),
        LogDelivery = false,
        MaxDomains = 10,
        MaxOrigins = 10,
        MaxRules = limits.OriginRules + limits.CacheRules + limits.FirewallRules,
        MaxPurgeBatchSize = PurgeClient.MaxItemsPerCall,
        PurgeRateLimit = limits.PurgeRate,
        WriteRateLimit = CloudflareWriteBudget.Limit(options),
        AsynchronousDeployment = true,
    };

    private async Task<Dictionary<string, CfRulesetDto?>> ReadEntryPointsAsync(CancellationToken cancellationToken)
    {
        var entryPoints = new Dictionary<string, CfRulesetDto?>(StringComparer.Ordinal);
        foreach (var phase in Phases.All)
        {
            entryPoints[phase] = await _api.Rulesets.GetEntryPointAsync(phase, cancellationToken).ConfigureAwait(false);
        }

        return entryPoints;
    }

    private CdnOperation<ProviderServiceDetails> Deployment(OperationKind kind, string serviceId, IReadOnlyList<DomainSpec> domains, List<CfCustomHostnameDto> hostnames)
    {
        var operationId = new OperationId(Name, kind, _options.ZoneId + ":" + string.Join(',', hostnames.Select(h => h.Id)) + ":" + serviceId).ToString();
        var state = Evaluate(operationId, kind, serviceId, hostnames, domains);
        if (state.IsCompleted)
        {
            return state.Error is { } error ? CdnOperations.Failed<ProviderServiceDetails>(operationId, error) : CdnOperations.Completed(operationId, state.Value!);
        }

        var ids = hostnames.Select(h => h.Id!).ToArray();
        return new CloudflareOperation<ProviderServiceDetails>(operationId, ct => PollAsync(operationId, kind, serviceId, ids, domains, ct), _options.PollingInterval, _time, state.Description);
    }

    private async ValueTask<OperationState<ProviderServiceDetails>> PollAsync(string operationId, OperationKind kind, string serviceId, string[] ids, IReadOnlyList<DomainSpec>? domains, CancellationToken cancellationToken)
    {
        var hostnames = new List<CfCustomHostnameDto>();
        foreach (var id in ids)
        {
            var hostname = await _api.Hostnames.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (hostname is null)
            {
                return OperationState<ProviderServiceDetails>.Failure(new CdnRequestFailedException(Name, $"Custom hostname '{id}' of service '{serviceId}' no longer exists.", 404, CdnErrorCode.NotFound, isTransient: false));
            }

            hostnames.Add(hostname);
        }

        // Resumed from an id alone: the domains' protocols come from the manifest stamped on the first hostname.
        domains ??= hostnames.Select(h => h.CustomMetadata is { } m ? SpecManifest.Join(m) : null).FirstOrDefault(s => s is not null)?.Domains
            ?? hostnames.Select(h => new DomainSpec(h.Hostname ?? "")).ToList();
        return Evaluate(operationId, kind, serviceId, hostnames, domains);
    }

    private OperationState<ProviderServiceDetails> Evaluate(string operationId, OperationKind kind, string serviceId, IReadOnlyList<CfCustomHostnameDto> hostnames, IReadOnlyList<DomainSpec> domains)
    {
        var failures = hostnames.Select(h => CloudflareServiceReader.Failure(h, domains)).Where(f => f is not null).ToList();
        if (failures.Count > 0)
        {
            return OperationState<ProviderServiceDetails>.Failure(new CdnRequestFailedException(Name, $"Cloudflare cannot activate service '{serviceId}': {string.Join("; ", failures)}.", null, CdnErrorCode.InvalidRequest, isTransient: false));
        }

        var pending = hostnames.Where(h => !CloudflareServiceReader.Ready(h, domains)).ToList();
        if (pending.Count == 0)
        {
            return OperationState<ProviderServiceDetails>.Success(_translator.Details(Name, serviceId, CloudflareServiceReader.Domains(hostnames, domains), ProviderStatus.Deployed));
        }

        return OperationState<ProviderServiceDetails>.Pending(CloudflareValidation.Describe(pending));
    }

    private string DeleteId(string serviceId) => new OperationId(Name, OperationKind.Delete, _options.ZoneId + ":-:" + serviceId).ToString();

    private CdnRequestFailedException NoService(string serviceId) =>
        new(Name, $"Cloudflare has no custom hostname for Poppy service '{serviceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);
}
