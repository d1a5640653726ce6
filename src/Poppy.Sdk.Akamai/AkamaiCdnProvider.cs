using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Akamai.Internal;
using Poppy.Sdk.Akamai.Internal.Api;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Akamai;

/// <summary>One DNS record Akamai needs published before it issues a Secure by Default certificate for a domain.</summary>
/// <param name="Domain">The service's domain.</param>
/// <param name="Name">The record's name (<c>_acme-challenge.&lt;domain&gt;</c>).</param>
/// <param name="Target">The CNAME target Akamai gave.</param>
public sealed record AkamaiValidationRecord(string Domain, string Name, string Target);

/// <summary>
/// The Akamai provider: provisions one property per Poppy service through the Property Manager API (PAPI v1) — a CP code,
/// an edge hostname, the service's hostnames and a rule tree (origins routed by path, caching per path, referrer, geography
/// and client-IP restrictions with <c>denyAccess</c>) — activates it on staging then production, reads it back, and purges
/// it with Fast Purge (CCU v3).
/// </summary>
/// <remarks>
/// <para>
/// The property's name is <c>poppy-&lt;service id&gt;</c> and its root rule's comments hold the stamp and the spec manifest, so a
/// retried create finds the property by name (<c>find-by-value</c>) and converges it instead of making a second one.
/// </para>
/// <para>
/// Akamai activates asynchronously (minutes per network): create and update return an operation that activates the new
/// version on each configured network in turn, polls (honouring <c>Retry-After</c>), reports <c>create_in_progress</c> until
/// the last network is <c>ACTIVE</c>, and resumes from its id. Delete deactivates every network where a version is active,
/// waits, and deletes the property — one operation. Requests are signed with EdgeGrid by the client's handler, never by the
/// provider: register it with <c>AddAkamai()</c>, or construct it with <see cref="CreateHttpClient"/> and options.
/// </para>
/// </remarks>
public class AkamaiCdnProvider : ICdnProvider
{
    private readonly AkamaiAccount _account = null!;
    private readonly AkamaiPlanner _planner = null!;
    private readonly AkamaiServiceReader _reader = null!;
    private readonly AkamaiServiceWriter _writer = null!;
    private readonly AkamaiActivation _activation = null!;
    private readonly AkamaiPurger _purger = null!;
    private readonly CdnCapabilities _capabilities = null!;

    /// <summary>Creates the provider.</summary>
    /// <param name="httpClient">
    /// The client used for the Akamai APIs (its own base address is not used; see <see cref="AkamaiCdnProviderOptions.BaseAddress"/>).
    /// It must sign requests with EdgeGrid: use <see cref="CreateHttpClient"/> without DI; <c>AddAkamai()</c> registers a client that does.
    /// </param>
    /// <param name="options">The account options; copied, and validated here.</param>
    /// <param name="timeProvider">The clock (signing, polling, purge budgets); <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no contract id).</exception>
    public AkamaiCdnProvider(HttpClient httpClient, AkamaiCdnProviderOptions options, TimeProvider? timeProvider = null, ILogger<AkamaiCdnProvider>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        var copy = options.Clone();
        var log = (ILogger?)logger ?? NullLogger.Instance;
        var time = timeProvider ?? TimeProvider.System;
        var translator = new AkamaiTranslator(copy);
        _account = new AkamaiAccount(copy.Name, new AkamaiApi(httpClient, copy, copy.EffectiveBaseAddress()!, time, log), copy, translator, time, log);
        _capabilities = BuildCapabilities(copy);
        _planner = new AkamaiPlanner(copy.Name, _capabilities, translator);
        _reader = new AkamaiServiceReader(_account);
        _writer = new AkamaiServiceWriter(_account, _reader);
        _activation = new AkamaiActivation(_account, _reader);
        _purger = new AkamaiPurger(_account, _reader, _capabilities);
    }

    /// <summary>For mocking frameworks only.</summary>
    protected AkamaiCdnProvider()
    {
    }

    /// <summary>
    /// An <see cref="HttpClient"/> for the provider without DI: it signs every request with EdgeGrid (credentials read from
    /// <paramref name="options"/> on each request, time from <paramref name="timeProvider"/>, a fresh nonce each time), then
    /// sends it through <paramref name="innerHandler"/>. It has no retry handler; <c>AddAkamai()</c> adds one.
    /// </summary>
    /// <param name="options">The account options (the credentials, or the <c>.edgerc</c> section, are read from them).</param>
    /// <param name="timeProvider">The clock the signatures carry; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="innerHandler">The handler that sends requests; a new <see cref="SocketsHttpHandler"/> when null.</param>
    /// <returns>The client. Dispose it with the provider.</returns>
    public static HttpClient CreateHttpClient(AkamaiCdnProviderOptions options, TimeProvider? timeProvider = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpClient(new AkamaiAuthHandler(options.Credentials, timeProvider ?? TimeProvider.System) { InnerHandler = innerHandler ?? new SocketsHttpHandler() });
    }

    /// <inheritdoc />
    public virtual string Name => _account.Name;

    /// <summary>
    /// What Akamai can honour through this provider: every restriction kind, on any path; per-path caching; several origins
    /// routed by path (DNS names, any port); every host header mode; HTTPS on Secure by Default (<c>sni</c>) and
    /// CPS certificates (<c>san</c>, <c>custom</c>), not Poppy's <c>shared</c> form; URL, tag and purge-all (CP code or the
    /// service's cache tag), soft (invalidate) and hard (delete); no prefix or host purge (Fast Purge has neither); no log
    /// delivery; asynchronous deployment.
    /// </summary>
    public virtual CdnCapabilities Capabilities => _capabilities;

    /// <inheritdoc />
    /// <remarks>
    /// Runs the Akamai translator — the one translation create and update also use — and returns the rules PUT body (in
    /// the frozen rule format) and the hostnames PUT body; or every problem, each with its path and what to change: an HTTPS
    /// domain without an Enhanced TLS edge hostname (<c>Akamai:EdgeHostnameDomain</c>), a request URL with <c>?</c>, an
    /// unknown geography, and the capability problems. The property and edge hostname show <c>{service_id}</c> and, without
    /// <see cref="AkamaiCdnProviderOptions.CpCodeId"/>, the CP code shows <c>{cp_code}</c>: both exist only at apply.
    /// </remarks>
    public virtual ProviderPlan PlanService(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _planner.Plan(spec);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (_, plan) = _planner.Prepare(serviceId, spec, ValidationMode.Create);
        var (propertyId, version) = await _writer.CreateAsync(serviceId, plan, cancellationToken).ConfigureAwait(false);
        return await _activation.StartAsync(OperationKind.Create, serviceId, propertyId, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (_, plan) = _planner.Prepare(service.ServiceId, spec, ValidationMode.Update);
        var property = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw _account.NotFound(service.ServiceId);
        var (propertyId, version) = await _writer.UpdateAsync(service.ServiceId, property, plan, cancellationToken).ConfigureAwait(false);
        return await _activation.StartAsync(OperationKind.Update, service.ServiceId, propertyId, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A small state machine (<c>Active → Deactivating → ReadyToDelete → Done</c>): this call finds the property and runs the
    /// first transition (deactivate every network where a version is active); polls wait for the deactivations and then
    /// delete the property. The value is the deleted service's reference. The edge hostname and the CP code stay (PAPI
    /// cannot delete them).
    /// </remarks>
    public virtual async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var property = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false);
        var operation = AkamaiDeleteOperation.Create(_account, property?.PropertyId, service.ServiceId);
        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the version active on the last configured network (else the latest). The spec is the stamped manifest when the
    /// deployed rule tree and hostnames are exactly what it produces; otherwise it is rebuilt from them and
    /// <see cref="ProviderService.Drift"/> lists the differences.
    /// </remarks>
    public virtual async Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var property = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false);
        return property is null ? null : await _reader.ReadServiceAsync(service.ServiceId, property, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One signed <c>GET /papi/v1/properties</c> of the configured contract and group (no rule trees read).</remarks>
    public virtual Task VerifyAccessAsync(CancellationToken cancellationToken = default) =>
        _account.Api.Properties.ListAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Lists the group's properties (one call; PAPI does not page it) and reads, lazily, each one Poppy stamped (<c>poppy-</c> name and stamped rules).</remarks>
    public virtual async IAsyncEnumerable<ProviderService> ListServicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var properties = await _account.Api.Properties.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var property in properties)
        {
            if (property.PropertyId is null || property.PropertyName?.StartsWith(AkamaiTranslator.NamePrefix, StringComparison.Ordinal) != true)
            {
                continue;
            }

            var read = await _reader.ReadServiceAsync(null, property, cancellationToken).ConfigureAwait(false);
            if (AkamaiTranslator.PropertyName(read.Details.ServiceId) == property.PropertyName)
            {
                yield return read;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// Fast Purge v3 on the last activation network: URLs (a path is sent as <c>https://&lt;domain&gt;&lt;path&gt;</c> for each
    /// of the service's domains; Akamai purges both schemes), cache tags (the origin's <c>Edge-Cache-Tag</c> header, and the
    /// service's own tag every object carries), and everything (the service's CP code, or its cache tag when the CP code is
    /// shared). Soft = <c>invalidate</c>, hard = <c>delete</c>. One call carries at most 500 items, sent in bodies under
    /// 50,000 bytes. No prefix or host purge.
    /// </para>
    /// <para>
    /// The account's Fast Purge token buckets (requests, and objects per type) are kept in the process for every provider of
    /// the same API client: a call that does not fit fails at once with <see cref="CdnRateLimitedException"/> and the wait,
    /// without a request; a 429 from Akamai does the same. Fast Purge is idempotent, so <see cref="PurgeRequest.IdempotencyKey"/>
    /// is not needed and not sent.
    /// </para>
    /// </remarks>
    public virtual Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(request);
        return _purger.PurgeAsync(service, request, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Ids (<see cref="OperationId"/>, first part the provider's name): <c>name:create:&lt;property&gt;:&lt;version&gt;</c> and
    /// <c>name:update:…</c> carry on with the activations of that version; <c>name:delete:&lt;property|none&gt;:&lt;service id&gt;</c>
    /// carries on with the delete from whatever state it is in.
    /// </remarks>
    public virtual async Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        var id = OperationId.Parse(operationId, Name);
        CdnOperation? operation = null;
        if (id.Kind == OperationKind.Delete)
        {
            operation = AkamaiDeleteOperation.Resume(_account, id.Payload);
        }
        else if (id.Kind is OperationKind.Create or OperationKind.Update)
        {
            var parts = id.Payload.Split(':');
            if (parts.Length == 2 && parts[0].Length > 0 && parts[0].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            {
                operation = _activation.Operation(id.Kind, null, parts[0], version);
            }
        }

        if (operation is null)
        {
            throw new ArgumentException($"'{operationId}' is not an Akamai operation id ({Name}:<create|update>:<property>:<version> or {Name}:delete:<property|none>:<service id>).", nameof(operationId));
        }

        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <summary>
    /// The DNS records Akamai needs published before it issues the Secure by Default (DV) certificate of each HTTPS
    /// <c>sni</c> domain: <c>_acme-challenge.&lt;domain&gt;</c> CNAMEs, as the hostnames of the shown version report them.
    /// Empty when there are none (HTTP domains, CPS certificates, or certificates already issued).
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The records.</returns>
    /// <exception cref="CdnRequestFailedException">The service has no property (404), or Akamai failed.</exception>
    public virtual async Task<IReadOnlyList<AkamaiValidationRecord>> GetCertificateValidationRecordsAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var property = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw _account.NotFound(service.ServiceId);
        var hostnames = await _account.Api.Versions.GetHostnamesAsync(property.PropertyId!, _reader.ShownVersion(property), cancellationToken).ConfigureAwait(false);
        return [.. (hostnames.Hostnames?.Items ?? [])
            .Where(h => h.CertStatus?.ValidationCname is { Hostname.Length: > 0, Target.Length: > 0 })
            .Select(h => new AkamaiValidationRecord(h.CnameFrom, h.CertStatus!.ValidationCname!.Hostname!, h.CertStatus.ValidationCname.Target!))];
    }

    private static CdnCapabilities BuildCapabilities(AkamaiCdnProviderOptions options) => new()
    {
        Restrictions = RestrictionSupport.All,
        PerPathRestrictions = RestrictionSupport.All,
        PerPathCaching = true,
        MultipleOrigins = true,
        HostHeaders = HostHeaderSupport.All,
        OriginPorts = null,
        Ipv6Origins = false,
        IpAddressOrigins = false,
        Certificates = options.EdgeHostnameDomain == AkamaiCdnProviderOptions.EdgeKey ? CertificateSupport.Sni | CertificateSupport.San | CertificateSupport.Custom : CertificateSupport.None,
        Purge = PurgeSupport.Url | PurgeSupport.Tag | PurgeSupport.All | PurgeSupport.Soft,
        LogDelivery = false,
        MaxDomains = 10,
        MaxOrigins = 10,
        MaxRules = 100,
        MaxPurgeBatchSize = AkamaiPurger.MaxItemsPerCall,
        PurgeRateLimit = new PurgeRateLimit(50, TimeSpan.FromSeconds(1), 100),
        WriteRateLimit = AkamaiWriteBudget.Limit(options),
        AsynchronousDeployment = true,
    };
}
