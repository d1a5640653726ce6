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
/// Changes are made on a draft version (version 1 of a new service, or a clone of the active version),
/// validated, then activated. Activation is synchronous, so every operation this provider returns has
/// already completed. Only the objects whose difference matters are deleted and re-created, and nothing is
/// deployed when the active version already matches the spec.
/// </para>
/// <para>Construct it with an <see cref="HttpClient"/> and options, or register it with <c>AddFastly()</c>.</para>
/// </remarks>
public class FastlyCdnProvider : ICdnProvider
{
    private readonly FastlyApi _api = null!;
    private readonly FastlyTranslator _translator = null!;
    private readonly FastlyCdnProviderOptions _options = null!;
    private readonly ILogger _logger = NullLogger.Instance;
    private readonly CdnCapabilities _capabilities = null!;

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
        var time = timeProvider ?? TimeProvider.System;
        _api = new FastlyApi(httpClient, _options, time, _logger);
        _translator = new FastlyTranslator(_options);
        _capabilities = BuildCapabilities(_options);
    }

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
    /// for URLs and keys; no log delivery; synchronous deployment.
    /// </summary>
    public virtual CdnCapabilities Capabilities => _capabilities;

    /// <inheritdoc />
    public virtual ProviderPlan PlanService(ServiceSpec spec)
    {
        // Interim: the capability check only; the translator's plan replaces this in the platform work.
        ArgumentNullException.ThrowIfNull(spec);
        var problems = Poppy.Sdk.Validation.CapabilityChecker.Check(spec, Capabilities, Name);
        return problems.Count > 0 ? ProviderPlan.Invalid(Name, problems) : ProviderPlan.Valid(Name, "capabilities checked");
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, desired) = Prepare(spec, ValidationMode.Create);
        Log.Creating(_logger, serviceId);

        var existing = await _api.Services.SearchAsync(FastlyTranslator.ServiceName(serviceId), cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            var vendorId = RequireStamp(existing, serviceId);
            Log.Converging(_logger, serviceId, vendorId);
            return await DeployAsync(serviceId, existing, normalized, desired, "create", cancellationToken).ConfigureAwait(false);
        }

        var created = await _api.Services.CreateAsync(FastlyTranslator.ServiceName(serviceId), FastlyTranslator.ServiceComment(serviceId), cancellationToken).ConfigureAwait(false);
        var id = created.Id is { Length: > 0 } v ? v : throw Malformed("create service", "no service id");
        Log.Created(_logger, serviceId, id);

        // Version 1 comes with the service and is empty.
        var version = created.Versions?.Where(x => x.Number is not null).Select(x => x.Number!.Value).DefaultIfEmpty(1).Max() ?? 1;
        await ApplyAsync(id, version, new FastlyConfig(), desired, cancellationToken).ConfigureAwait(false);
        await ActivateAsync(serviceId, id, version, cancellationToken).ConfigureAwait(false);
        return FastlyOperation<ProviderServiceDetails>.Succeeded(
            FastlyOperationId.Create(id, version),
            _translator.Details(Name, serviceId, id, normalized.Domains, ProviderStatus.Deployed));
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, desired) = Prepare(spec, ValidationMode.Update);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnRequestFailedException(Name, $"Fastly has no service for Poppy service '{service.ServiceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);
        return await DeployAsync(service.ServiceId, found, normalized, desired, "update", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            Log.NotFound(_logger, service.ServiceId);
            return FastlyOperation<object?>.Succeeded(FastlyOperationId.Delete(service.VendorServiceId), null);
        }

        var vendorId = found.Id!;
        if (found.Versions is null)
        {
            found = await _api.Services.GetAsync(vendorId, cancellationToken).ConfigureAwait(false) ?? found;
        }

        // Fastly refuses to delete a service with an active version.
        if (ActiveVersion(found) is { } active)
        {
            await _api.Versions.DeactivateAsync(vendorId, active, cancellationToken).ConfigureAwait(false);
        }

        await _api.Services.DeleteAsync(vendorId, cancellationToken).ConfigureAwait(false);
        Log.Deleted(_logger, service.ServiceId, vendorId);
        return FastlyOperation<object?>.Succeeded(FastlyOperationId.Delete(vendorId), null);
    }

    /// <inheritdoc />
    public virtual async Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            Log.NotFound(_logger, service.ServiceId);
            return null;
        }

        return await ReadServiceAsync(service.ServiceId, found, cancellationToken).ConfigureAwait(false);
    }

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
                    yield return await ReadServiceAsync(serviceId, service, cancellationToken).ConfigureAwait(false);
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
    /// URLs: a path (<c>/a.png</c>) is purged on every domain of the service (<c>POST /purge/&lt;domain&gt;/a.png</c>),
    /// a full URL on its own host. Tags: one bulk call of up to 256 surrogate keys. All: <c>purge_all</c>, which
    /// Fastly cannot do softly. Soft purges send <c>Fastly-Soft-Purge: 1</c>. Prefix and host purges do not exist on
    /// Fastly and are rejected with <see cref="CdnValidationException"/> before any call.
    /// </remarks>
    public virtual async Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(request);
        var problems = CheckPurge(request);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems);
        }

        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnRequestFailedException(Name, $"Fastly has no service for Poppy service '{service.ServiceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);
        var vendorId = found.Id!;
        var soft = request.Mode == PurgeMode.Soft;
        var ids = new List<string>();
        var calls = 0;
        switch (request.Kind)
        {
            case PurgeKind.Url:
                List<string>? domains = null;
                foreach (var item in request.Items)
                {
                    if (item.StartsWith('/'))
                    {
                        domains ??= await ReadDomainNamesAsync(found, cancellationToken).ConfigureAwait(false);
                        foreach (var domain in domains)
                        {
                            AddId(ids, await _api.Purge.PurgeUrlAsync(domain + item, soft, cancellationToken).ConfigureAwait(false));
                            calls++;
                        }
                    }
                    else
                    {
                        var url = new Uri(item, UriKind.Absolute);
                        AddId(ids, await _api.Purge.PurgeUrlAsync(url.Authority + url.PathAndQuery, soft, cancellationToken).ConfigureAwait(false));
                        calls++;
                    }
                }

                break;

            case PurgeKind.Tag:
                var purged = await _api.Purge.PurgeKeysAsync(vendorId, request.Items, soft, cancellationToken).ConfigureAwait(false);
                calls++;
                foreach (var key in request.Items)
                {
                    AddId(ids, purged.TryGetValue(key, out var id) ? id : null);
                }

                break;

            default:
                await _api.Purge.PurgeAllAsync(vendorId, cancellationToken).ConfigureAwait(false);
                calls++;
                break;
        }

        Log.Purged(_logger, service.ServiceId, vendorId, request.Kind.ToString(), request.Items.Count, calls, soft);
        return new PurgeResult { Provider = Name, Items = request.Items, VendorPurgeIds = ids, Completed = true };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Fastly operations finish within the call, so resuming re-reads the service: a create or update
    /// completes with the service's current details (or fails with <see cref="CdnErrorCode.NotFound"/> when
    /// it is gone); a delete completes when the service is gone.
    /// </remarks>
    public virtual async Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        if (!FastlyOperationId.TryParse(operationId, out var kind, out var vendorId, out _))
        {
            throw new ArgumentException($"'{operationId}' is not a Fastly operation id (fastly:<create|update>:<service>:<version> or fastly:delete:<service>).", nameof(operationId));
        }

        var service = vendorId == "-" ? null : await _api.Services.GetAsync(vendorId, cancellationToken).ConfigureAwait(false);
        if (kind == "delete")
        {
            return service is null
                ? FastlyOperation<object?>.Succeeded(operationId, null)
                : FastlyOperation<object?>.Failed(operationId, new CdnRequestFailedException(Name, $"Fastly service '{vendorId}' still exists; delete it again.", 409, CdnErrorCode.Conflict, isTransient: true));
        }

        if (service is null || ServiceStamp.Parse(service.Comment) is not { } serviceId)
        {
            return FastlyOperation<ProviderServiceDetails>.Failed(operationId, new CdnRequestFailedException(Name, $"Fastly service '{vendorId}' no longer exists.", 404, CdnErrorCode.NotFound, isTransient: false));
        }

        var read = await ReadServiceAsync(serviceId, service, cancellationToken).ConfigureAwait(false);
        return FastlyOperation<ProviderServiceDetails>.Succeeded(operationId, read.Details);
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
        MaxPurgeBatchSize = 256,
        PurgeRateLimit = options.PurgeRequestsPerSecond > 0
            ? new PurgeRateLimit(options.PurgeRequestsPerSecond, TimeSpan.FromSeconds(1), options.PurgeBurst > 0 ? options.PurgeBurst : options.PurgeRequestsPerSecond)
            : null,
        AsynchronousDeployment = false,
    };

    /// <summary>Validates, checks capabilities and translates — everything that can fail before a vendor call.</summary>
    private (ServiceSpec Normalized, FastlyConfig Desired) Prepare(ServiceSpec spec, ValidationMode mode)
    {
        var validation = ServiceSpecValidator.Validate(spec, mode);
        var normalized = validation.GetNormalizedOrThrow();
        var problems = CapabilityChecker.Check(normalized, Capabilities, Name);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems);
        }

        return (normalized, _translator.ToFastly(normalized));
    }

    private List<ValidationProblem> CheckPurge(PurgeRequest request)
    {
        var problems = new List<ValidationProblem>(request.Validate());
        problems.AddRange(CapabilityChecker.CheckPurge(request, Capabilities, Name));
        if (request.Kind == PurgeKind.All && request.Mode == PurgeMode.Soft)
        {
            problems.Add(new ValidationProblem("/mode", "Fastly always purges everything hard; soft-purge a surrogate key that every object carries instead.") { Provider = Name });
        }

        if (request.Items.Count > Capabilities.MaxPurgeBatchSize)
        {
            problems.Add(new ValidationProblem("/items", $"{request.Items.Count} items, but one Fastly purge call takes at most {Capabilities.MaxPurgeBatchSize}.") { Provider = Name });
        }

        if (request.Kind == PurgeKind.Url)
        {
            for (var i = 0; i < request.Items.Count; i++)
            {
                var item = request.Items[i] ?? "";
                var path = item.StartsWith('/') ? item : Uri.TryCreate(item, UriKind.Absolute, out var u) ? u.OriginalString[(u.GetLeftPart(UriPartial.Authority).Length)..] : "";
                if (item.Contains('#', StringComparison.Ordinal) || path.Split('?')[0].Split('/').Any(s => s is "." or ".."))
                {
                    problems.Add(new ValidationProblem($"/items/{i}", $"'{item}' has a fragment or a '.'/'..' path segment, which would not purge the URL as written.") { Provider = Name });
                }
            }
        }

        return problems;
    }

    private async Task<CdnOperation<ProviderServiceDetails>> DeployAsync(
        string serviceId, FastlyServiceDto service, ServiceSpec normalized, FastlyConfig desired, string kind, CancellationToken cancellationToken)
    {
        var vendorId = service.Id!;
        if (service.Versions is null)
        {
            service = await _api.Services.GetAsync(vendorId, cancellationToken).ConfigureAwait(false)
                ?? throw new CdnRequestFailedException(Name, $"Fastly service '{vendorId}' disappeared.", 404, CdnErrorCode.NotFound, isTransient: false);
        }

        var versions = service.Versions ?? [];
        var active = versions.FirstOrDefault(v => v.Active == true && v.Number is not null);
        var baseVersion = active ?? versions.Where(v => v.Number is not null).MaxBy(v => v.Number);
        FastlyConfig current;
        int draft;
        if (baseVersion is null)
        {
            throw Malformed("get service", "the service has no versions");
        }

        current = await ReadConfigAsync(vendorId, baseVersion.Number!.Value, baseVersion.Comment, cancellationToken).ConfigureAwait(false);
        if (active is not null && Matches(current, desired))
        {
            Log.Unchanged(_logger, serviceId, vendorId, active.Number!.Value);
            return Completed(kind, serviceId, vendorId, active.Number.Value, normalized);
        }

        if (kind == "update")
        {
            Log.Updating(_logger, serviceId, vendorId, baseVersion.Number.Value);
        }

        if (baseVersion.Active == true || baseVersion.Locked == true)
        {
            var clone = await _api.Versions.CloneAsync(vendorId, baseVersion.Number.Value, cancellationToken).ConfigureAwait(false);
            draft = clone.Number ?? throw Malformed("clone version", "no version number");
        }
        else
        {
            draft = baseVersion.Number.Value;
        }

        await ApplyAsync(vendorId, draft, current, desired, cancellationToken).ConfigureAwait(false);
        await ActivateAsync(serviceId, vendorId, draft, cancellationToken).ConfigureAwait(false);
        return Completed(kind, serviceId, vendorId, draft, normalized);
    }

    private FastlyOperation<ProviderServiceDetails> Completed(string kind, string serviceId, string vendorId, int version, ServiceSpec normalized) =>
        FastlyOperation<ProviderServiceDetails>.Succeeded(
            kind == "create" ? FastlyOperationId.Create(vendorId, version) : FastlyOperationId.Update(vendorId, version),
            _translator.Details(Name, serviceId, vendorId, normalized.Domains, ProviderStatus.Deployed));

    private async Task ActivateAsync(string serviceId, string vendorId, int version, CancellationToken cancellationToken)
    {
        await _api.Versions.ValidateAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        await _api.Versions.ActivateAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        Log.Activated(_logger, serviceId, vendorId, version);
    }

    /// <summary>Whether a version already holds the desired objects.</summary>
    private static bool Matches(FastlyConfig current, FastlyConfig desired) =>
        SameSet(current.Domains, desired.Domains) &&
        SameSet(current.Backends, desired.Backends) &&
        SameSet(current.Conditions, desired.Conditions) &&
        SameSet(current.CacheSettings, desired.CacheSettings) &&
        SameSet(current.ResponseObjects, desired.ResponseObjects) &&
        SameSet(current.Acls, desired.Acls) &&
        (desired.DefaultTtl is null || desired.DefaultTtl == current.DefaultTtl) &&
        desired.VersionComment == current.VersionComment;

    private static bool SameSet<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) => a.Count == b.Count && !a.Except(b).Any();

    /// <summary>
    /// Brings a draft version from <paramref name="current"/> to <paramref name="desired"/>: objects that differ are
    /// deleted (dependants before what they depend on) and created again (dependencies first). An object that
    /// refers to a re-created condition or ACL is re-created with it. ACLs are never edited in place: their entries
    /// are versionless, so editing a cloned ACL would change the live version before activation.
    /// </summary>
    private async Task ApplyAsync(string vendorId, int version, FastlyConfig current, FastlyConfig desired, CancellationToken cancellationToken)
    {
        var staleAcls = current.Acls.Where(a => !desired.Acls.Contains(a)).ToList();
        var staleAclNames = staleAcls.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var staleConditions = current.Conditions
            .Where(c => !desired.Conditions.Contains(c) || staleAclNames.Any(n => c.Statement.Contains(n, StringComparison.Ordinal)))
            .ToList();
        var staleConditionNames = staleConditions.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        bool Refers(string? condition) => condition is not null && staleConditionNames.Contains(condition);
        var staleResponses = current.ResponseObjects.Where(r => !desired.ResponseObjects.Contains(r) || Refers(r.RequestCondition)).ToList();
        var staleSettings = current.CacheSettings.Where(s => !desired.CacheSettings.Contains(s) || Refers(s.CacheCondition)).ToList();
        var staleBackends = current.Backends.Where(b => !desired.Backends.Contains(b) || Refers(b.RequestCondition)).ToList();
        var staleDomains = current.Domains.Where(d => !desired.Domains.Contains(d)).ToList();

        // Dependents before what they refer to: response objects, cache settings and backends name conditions.
        await DeleteAllAsync("response_object", staleResponses.Select(r => r.Name)).ConfigureAwait(false);
        await DeleteAllAsync("cache_settings", staleSettings.Select(x => x.Name)).ConfigureAwait(false);
        await DeleteAllAsync("backend", staleBackends.Select(b => b.Name)).ConfigureAwait(false);
        await DeleteAllAsync("condition", staleConditions.Select(c => c.Name)).ConfigureAwait(false);
        await DeleteAllAsync("acl", staleAcls.Select(a => a.Name)).ConfigureAwait(false);
        await DeleteAllAsync("domain", staleDomains.Select(d => d.Name)).ConfigureAwait(false);

        async Task DeleteAllAsync(string kind, IEnumerable<string> names)
        {
            foreach (var name in names)
            {
                await _api.Objects.DeleteAsync(vendorId, version, kind, name, cancellationToken).ConfigureAwait(false);
            }
        }

        var kept = current.Domains.Except(staleDomains).ToList();
        foreach (var d in desired.Domains.Where(d => !kept.Contains(d)))
        {
            await _api.Objects.CreateDomainAsync(vendorId, version, d, cancellationToken).ConfigureAwait(false);
        }

        var keptAcls = current.Acls.Except(staleAcls).ToList();
        foreach (var a in desired.Acls.Where(a => !keptAcls.Contains(a)))
        {
            var acl = await _api.Objects.CreateAclAsync(vendorId, version, a.Name, cancellationToken).ConfigureAwait(false);
            if (a.Entries.Count > 0)
            {
                var aclId = acl.Id is { Length: > 0 } id ? id : throw Malformed("create acl", "no acl id");
                await _api.Acls.CreateEntriesAsync(vendorId, aclId, a.Entries, cancellationToken).ConfigureAwait(false);
            }
        }

        var keptConditions = current.Conditions.Except(staleConditions).ToList();
        foreach (var c in desired.Conditions.Where(c => !keptConditions.Contains(c)))
        {
            await _api.Objects.CreateConditionAsync(vendorId, version, c, cancellationToken).ConfigureAwait(false);
        }

        var keptBackends = current.Backends.Except(staleBackends).ToList();
        foreach (var b in desired.Backends.Where(b => !keptBackends.Contains(b)))
        {
            await _api.Objects.CreateBackendAsync(vendorId, version, b, cancellationToken).ConfigureAwait(false);
        }

        var keptSettings = current.CacheSettings.Except(staleSettings).ToList();
        foreach (var s in desired.CacheSettings.Where(s => !keptSettings.Contains(s)))
        {
            await _api.Objects.CreateCacheSettingsAsync(vendorId, version, s, cancellationToken).ConfigureAwait(false);
        }

        var keptResponses = current.ResponseObjects.Except(staleResponses).ToList();
        foreach (var r in desired.ResponseObjects.Where(r => !keptResponses.Contains(r)))
        {
            await _api.Objects.CreateResponseObjectAsync(vendorId, version, r, cancellationToken).ConfigureAwait(false);
        }

        if (desired.DefaultTtl is { } ttl && ttl != current.DefaultTtl)
        {
            await _api.Versions.UpdateSettingsAsync(vendorId, version, ttl, cancellationToken).ConfigureAwait(false);
        }

        if (desired.VersionComment is { } comment && comment != current.VersionComment)
        {
            await _api.Versions.UpdateCommentAsync(vendorId, version, comment, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the objects Poppy manages in one version (all domains; backends, conditions, … named <c>poppy-*</c>).</summary>
    private async Task<FastlyConfig> ReadConfigAsync(string vendorId, int version, string? versionComment, CancellationToken cancellationToken)
    {
        var domains = await _api.Objects.ListDomainsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var backends = await _api.Objects.ListBackendsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var conditions = await _api.Objects.ListConditionsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var cacheSettings = await _api.Objects.ListCacheSettingsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var responses = await _api.Objects.ListResponseObjectsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var settings = await _api.Versions.GetSettingsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var acls = new List<AclObject>();
        foreach (var acl in await _api.Objects.ListAclsAsync(vendorId, version, cancellationToken).ConfigureAwait(false))
        {
            if (acl.Name is { } name && FastlyTranslator.IsManaged(name) && acl.Id is { } aclId)
            {
                var entries = await _api.Acls.ListEntriesAsync(vendorId, aclId, cancellationToken).ConfigureAwait(false);
                acls.Add(new AclObject(name, entries
                    .Where(e => e.Ip is not null)
                    .Select(e => FastlyTranslator.ParseAclEntry(e.Ip!) is { } parsed ? parsed with { Subnet = e.Subnet, Negated = e.Negated == true } : new AclEntryObject(e.Ip!, e.Subnet, e.Negated == true))
                    .ToList()));
            }
        }

        static bool Managed(string? name) => name is not null && FastlyTranslator.IsManaged(name);
        return new FastlyConfig
        {
            Domains = domains.Where(d => d.Name is not null).Select(d => new DomainObject(d.Name!)).ToList(),
            Backends = backends.Where(b => Managed(b.Name)).Select(b => new BackendObject(
                b.Name!,
                b.Address ?? b.Hostname ?? b.Ipv4 ?? b.Ipv6 ?? "",
                b.Port ?? 80,
                b.UseSsl == true,
                NullIfEmpty(b.SslCertHostname),
                NullIfEmpty(b.SslSniHostname),
                NullIfEmpty(b.OverrideHost),
                NullIfEmpty(b.RequestCondition))).ToList(),
            Conditions = conditions.Where(c => Managed(c.Name)).Select(c => new ConditionObject(c.Name!, c.Type ?? "", c.Statement ?? "", c.Priority ?? 100)).ToList(),
            CacheSettings = cacheSettings.Where(s => Managed(s.Name)).Select(s => new CacheSettingObject(s.Name!, s.Ttl ?? 0, s.Action ?? "", NullIfEmpty(s.CacheCondition))).ToList(),
            ResponseObjects = responses.Where(r => Managed(r.Name)).Select(r => new ResponseObject(r.Name!, r.Status ?? 200, r.Response ?? "", r.Content ?? "", r.ContentType ?? "", NullIfEmpty(r.RequestCondition))).ToList(),
            Acls = acls,
            DefaultTtl = settings.DefaultTtl,
            VersionComment = versionComment,
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private async Task<ProviderService> ReadServiceAsync(string serviceId, FastlyServiceDto service, CancellationToken cancellationToken)
    {
        var vendorId = service.Id!;
        var versions = service.Versions ?? [];
        var active = versions.FirstOrDefault(v => v.Active == true && v.Number is not null);
        var shown = active ?? versions.Where(v => v.Number is not null).MaxBy(v => v.Number);
        ServiceSpec spec;
        if (shown is null)
        {
            spec = new ServiceSpec { Name = service.Name ?? "" };
        }
        else
        {
            var config = await ReadConfigAsync(vendorId, shown.Number!.Value, shown.Comment, cancellationToken).ConfigureAwait(false);
            var (read, drift) = _translator.FromFastly(config, service.Name ?? "");
            if (drift.Count > 0)
            {
                Log.Drift(_logger, serviceId, vendorId, string.Join("; ", drift));
            }

            spec = read;
        }

        var status = active is not null ? ProviderStatus.Deployed : ProviderStatus.CreateInProgress;
        return new ProviderService
        {
            Details = _translator.Details(Name, serviceId, vendorId, spec.Domains, status),
            Spec = spec,
        };
    }

    private async Task<List<string>> ReadDomainNamesAsync(FastlyServiceDto service, CancellationToken cancellationToken)
    {
        if (service.Versions is null)
        {
            service = await _api.Services.GetAsync(service.Id!, cancellationToken).ConfigureAwait(false) ?? service;
        }

        var versions = service.Versions ?? [];
        var version = versions.FirstOrDefault(v => v.Active == true && v.Number is not null) ?? versions.Where(v => v.Number is not null).MaxBy(v => v.Number);
        if (version is null)
        {
            return [];
        }

        var domains = await _api.Objects.ListDomainsAsync(service.Id!, version.Number!.Value, cancellationToken).ConfigureAwait(false);
        return domains.Where(d => !string.IsNullOrEmpty(d.Name)).Select(d => d.Name!).ToList();
    }

    /// <summary>Finds the Fastly service of a Poppy service (by vendor id when known, else by its deterministic name).</summary>
    private async Task<FastlyServiceDto?> FindAsync(ServiceReference service, CancellationToken cancellationToken)
    {
        var found = service.VendorServiceId is { Length: > 0 } vendorId
            ? await _api.Services.GetAsync(vendorId, cancellationToken).ConfigureAwait(false)
            : await _api.Services.SearchAsync(FastlyTranslator.ServiceName(service.ServiceId), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        RequireStamp(found, service.ServiceId);
        return found;
    }

    private string RequireStamp(FastlyServiceDto service, string serviceId)
    {
        var id = service.Id is { Length: > 0 } v ? v : throw Malformed("get service", "no service id");
        var stamp = ServiceStamp.Parse(service.Comment);
        if (!string.Equals(stamp, serviceId, StringComparison.Ordinal))
        {
            throw new CdnRequestFailedException(
                Name,
                stamp is null
                    ? $"Fastly service '{id}' ('{service.Name}') is not stamped as Poppy service '{serviceId}'; Poppy will not change a service it did not create."
                    : $"Fastly service '{id}' belongs to Poppy service '{stamp}', not '{serviceId}'.",
                409,
                CdnErrorCode.Conflict,
                isTransient: false);
        }

        return id;
    }

    private static void AddId(List<string> ids, string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            ids.Add(id);
        }
    }

    private static int? ActiveVersion(FastlyServiceDto service) =>
        service.Versions?.FirstOrDefault(v => v.Active == true)?.Number;

    private CdnRequestFailedException Malformed(string operation, string what) =>
        new(Name, $"Fastly {operation} returned an unexpected answer: {what}.", null, CdnErrorCode.MalformedResponse, isTransient: false);
}
