using Poppy.Sdk.CloudFront.Internal.Api;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.CloudFront;

/// <summary>
/// The Amazon CloudFront provider: provisions one web distribution per Poppy service (aliases, custom
/// origins, cache behaviours, geo restriction, and a CloudFront Function for referrer and client-IP
/// restrictions), reads it back, and purges it with invalidations.
/// </summary>
/// <remarks>
/// <para>
/// The distribution's <c>CallerReference</c> is the Poppy service id, so a retried create is answered
/// <c>DistributionAlreadyExists</c> and converges the existing distribution instead of making a second one;
/// its <c>Comment</c> stamps the id (<c>poppy:service_id=…</c>), which is how list and look-ups recognise it.
/// </para>
/// <para>
/// CloudFront deploys asynchronously (minutes): create, update and delete return an operation that polls
/// <c>Status</c> until <c>Deployed</c> every <see cref="CloudFrontCdnProviderOptions.PollingInterval"/>, and that
/// can be resumed from its id. A delete is a small state machine (disable, wait for it to deploy, delete, delete the
/// function) whose writes are explicit transitions, each safe to repeat.
/// </para>
/// <para>Construct it with an <see cref="HttpClient"/> and options, or register it with <c>AddCloudFront()</c>. Requests are signed with AWS Signature V4.</para>
/// </remarks>
public class CloudFrontCdnProvider : ICdnProvider
{
    private const int ListPageSize = 100;

    /// <summary>The service id the offline plan stamps when no service is named yet (<see cref="PlanService"/>).</summary>
    private const string PlanServiceId = "{service_id}";

    private readonly CloudFrontAccount _account = null!;
    private readonly CloudFrontTranslator _translator = null!;
    private readonly CloudFrontReadBack _readBack = null!;
    private readonly CloudFrontApply _apply = null!;
    private readonly CloudFrontPurge _purge = null!;
    private readonly CdnCapabilities _capabilities = null!;

    /// <summary>Creates the provider.</summary>
    /// <param name="httpClient">
    /// The client used for the CloudFront API (its own base address is not used; see <see cref="CloudFrontCdnProviderOptions.BaseAddress"/>).
    /// It must sign requests with SigV4: use <see cref="CreateHttpClient"/> without DI; <c>AddCloudFront()</c> registers a client that does.
    /// </param>
    /// <param name="options">The account options; copied, and validated here.</param>
    /// <param name="timeProvider">The clock (signing, polling, waiting); <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no access key).</exception>
    public CloudFrontCdnProvider(HttpClient httpClient, CloudFrontCdnProviderOptions options, TimeProvider? timeProvider = null, ILogger<CloudFrontCdnProvider>? logger = null)
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
        _account = new CloudFrontAccount(copy.Name, new CloudFrontApi(httpClient, copy, time, log), copy, time, log);
        _translator = new CloudFrontTranslator(copy);
        _readBack = new CloudFrontReadBack(_translator);
        _apply = new CloudFrontApply(_account);
        _purge = new CloudFrontPurge(_account);
        _capabilities = BuildCapabilities(copy);
    }

    /// <summary>
    /// An <see cref="HttpClient"/> for the provider without DI: it signs every request with AWS Signature V4 (credentials
    /// read from <paramref name="options"/> on each request, time from <paramref name="timeProvider"/>), then sends it
    /// through <paramref name="innerHandler"/>. It has no retry handler; <c>AddCloudFront()</c> adds one.
    /// </summary>
    /// <param name="options">The account options (the credentials are read from them on each request).</param>
    /// <param name="timeProvider">The clock the signatures carry; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="innerHandler">The handler that sends requests; a new <see cref="SocketsHttpHandler"/> when null.</param>
    /// <returns>The client. Dispose it with the provider.</returns>
    public static HttpClient CreateHttpClient(CloudFrontCdnProviderOptions options, TimeProvider? timeProvider = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpClient(new CloudFrontAuthHandler(options.Credentials, timeProvider ?? TimeProvider.System) { InnerHandler = innerHandler ?? new SocketsHttpHandler() });
    }

    /// <summary>For mocking frameworks only.</summary>
    protected CloudFrontCdnProvider()
    {
    }

    /// <inheritdoc />
    public virtual string Name => _account.Name;

    /// <summary>
    /// What CloudFront can honour through this provider: every restriction kind (geography for the whole
    /// distribution only); per-path caching; several origins routed by path (DNS names, not IP addresses);
    /// the viewer's or the origin's host as Host header, not a custom one; the shared certificate, plus custom
    /// and SNI certificates when an ACM certificate is configured; URL, prefix and purge-all invalidations, tag
    /// invalidations when a cache-tag header is configured; no soft purge; no log delivery; asynchronous deployment.
    /// </summary>
    public virtual CdnCapabilities Capabilities => _capabilities;

    /// <inheritdoc />
    /// <remarks>
    /// Runs the CloudFront translator — the one translation create and update also use — and returns the
    /// <c>DistributionConfig</c> XML and, when referrer or client-IP restrictions need one, the viewer-request function's
    /// code; or every problem, each with its path and what to change: an alias without
    /// <see cref="CloudFrontCdnProviderOptions.AcmCertificateArn"/> (<c>CloudFront:AcmCertificateArn</c>), geography on a
    /// path, a request URL that is not a CloudFront path pattern (at most 255 characters of A–Z, a–z, 0–9 and
    /// <c>_ - . * $ / ~ " ' @ : + &amp;</c>; no <c>?</c>), too many behaviours, a function over 10 KB, and the
    /// capability problems. The caller reference and comment show <c>{service_id}</c>, and behaviours carry no function
    /// association yet: the function's ARN exists once it is published, and the association is resolved then.
    /// </remarks>
    public virtual ProviderPlan PlanService(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (plan, problems) = PlanFor(PlanServiceId, spec);
        return problems.Count > 0 ? ProviderPlan.Invalid(Name, problems) : ProviderPlan.Valid(Name, plan.Summary(), plan.Documents());
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, plan) = Prepare(serviceId, spec, ValidationMode.Create);
        Log.Creating(_account.Logger, serviceId);
        var functionArn = await _apply.PublishFunctionAsync(serviceId, plan, cancellationToken).ConfigureAwait(false);
        Distribution distribution;
        try
        {
            distribution = (await _account.Api.Distributions.CreateAsync(plan.Resolve(functionArn), CloudFrontApply.WithStage(plan.Tags, "created"), cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "DistributionAlreadyExists")
        {
            // Same caller reference: this service's distribution exists (an earlier attempt got through). Converge it.
            var existingId = ExistingId(ex.Message) ?? (await FindByStampAsync(serviceId, cancellationToken).ConfigureAwait(false))?.Id
                ?? throw new CdnRequestFailedException(Name, $"CloudFront says a distribution with caller reference '{serviceId}' exists, but none is stamped for this service.", 409, CdnErrorCode.Conflict, false, ex.VendorErrorCode, ex.RequestId, ex);
            Log.Converging(_account.Logger, serviceId, existingId);
            distribution = await _apply.UpdateAsync(serviceId, existingId, plan, functionArn, "created", cancellationToken).ConfigureAwait(false);
        }

        Log.Submitted(_account.Logger, serviceId, distribution.Id, distribution.Status);
        return DeploymentOperation(OperationKind.Create, serviceId, distribution, normalized);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, plan) = Prepare(service.ServiceId, spec, ValidationMode.Update);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw _account.NotFound(service.ServiceId);
        var functionArn = await _apply.PublishFunctionAsync(service.ServiceId, plan, cancellationToken).ConfigureAwait(false);
        var distribution = await _apply.UpdateAsync(service.ServiceId, found.Id, plan, functionArn, "updated", cancellationToken).ConfigureAwait(false);
        Log.Submitted(_account.Logger, service.ServiceId, distribution.Id, distribution.Status);
        return DeploymentOperation(OperationKind.Update, service.ServiceId, distribution, normalized);
    }

    /// <inheritdoc />
    /// <remarks>
    /// CloudFront deletes only disabled, deployed distributions. The delete is a small state machine
    /// (<c>Enabled → Disabling → ReadyToDelete → FunctionLeft → Done</c>): this call finds the distribution and runs the
    /// first transition (disable, under If-Match); polls read where things stand and run a transition only when one is due
    /// (delete with a fresh ETag, then delete the service's function), each safe to repeat. The value is the deleted
    /// service's reference; the operation resumes from its id in any state.
    /// </remarks>
    public virtual async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false);
        var operation = new CloudFrontDeleteOperation(_account, found?.Id, service.ServiceId);
        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <inheritdoc />
    /// <remarks><see cref="ProviderService.Drift"/> lists what differs between the spec stamped on the distribution and the distribution itself (changes made outside Poppy).</remarks>
    public virtual async Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false);
        return found is null ? null : await ReadAsync(service.ServiceId, found, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Pages through <c>ListDistributions</c> lazily (100 a page, <c>Marker</c>/<c>NextMarker</c>) and reads each distribution stamped by Poppy, with its drift.</remarks>
    public virtual async IAsyncEnumerable<ProviderService> ListServicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var page = await _account.Api.Distributions.ListAsync(marker, ListPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var summary in page.Items)
            {
                if (CloudFrontTranslator.ReadStamp(summary.Comment) is null)
                {
                    continue;
                }

                var distribution = await _account.Api.Distributions.GetAsync(summary.Id, cancellationToken).ConfigureAwait(false);
                if (distribution is not null)
                {
                    yield return await ReadAsync(distribution.Value.Config.CallerReference, distribution.Value, cancellationToken).ConfigureAwait(false);
                }
            }

            marker = page.IsTruncated ? page.NextMarker : null;
        }
        while (marker is not null);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// Every purge is an invalidation of the distribution: a URL becomes its path (the host is not needed, one
    /// distribution serves every domain of the service; a literal <c>*</c> is sent as <c>%2A</c>), a prefix
    /// <c>/prefix*</c>, everything <c>/*</c>, a tag <c>#tag</c> (only with a cache-tag header). One call carries one batch
    /// (at most 3,000 items); it becomes one invalidation, or several where CloudFront's limit of 15 wildcard paths requires.
    /// </para>
    /// <para>
    /// When CloudFront answers <c>TooManyInvalidationsInProgress</c>, the call fails at once with
    /// <see cref="CdnRateLimitedException"/> (<see cref="CdnRateLimitedException.RetryAfter"/> =
    /// <see cref="CloudFrontCdnProviderOptions.PollingInterval"/>): it neither waits nor resubmits; the composite's purge
    /// operation queues and resubmits the batch. Each invalidation's caller reference is
    /// <see cref="PurgeRequest.IdempotencyKey"/> when given, so a resubmitted batch is answered with the invalidations
    /// already made instead of invalidating twice; without a key, a hash of the distribution, the paths and the minute.
    /// The result is not <see cref="PurgeResult.Completed"/> until CloudFront finishes; wait on <see cref="PurgeResult.Completion"/>.
    /// </para>
    /// </remarks>
    public virtual async Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<ValidationProblem>(request.Validate());
        problems.AddRange(CapabilityChecker.CheckPurge(request, Capabilities, Name));
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems);
        }

        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw _account.NotFound(service.ServiceId);
        if (request.Kind == PurgeKind.Tag && found.Config.CacheTagHeaderName is null)
        {
            throw new CdnValidationException([new ValidationProblem("/kind", $"Distribution {found.Id} has no cache-tag header (CacheTagConfig); update the service after setting CacheTagHeaderName to purge by tag.") { Provider = Name, Remedy = "CloudFront:CacheTagHeaderName" }]);
        }

        return await _purge.PurgeAsync(found, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Ids (<see cref="OperationId"/>, first part the provider's name): <c>name:create:&lt;distribution&gt;</c> and
    /// <c>name:update:…</c> wait for <c>Deployed</c>; <c>name:delete:&lt;distribution|none&gt;:&lt;service id&gt;</c> carries
    /// on with the delete from whatever state it is in; <c>name:purge:&lt;distribution&gt;:&lt;invalidation,…&gt;</c> waits for
    /// the invalidations to complete.
    /// </remarks>
    public virtual async Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        var id = OperationId.Parse(operationId, Name);
        CdnOperation? operation = id.Kind switch
        {
            OperationKind.Delete => CloudFrontDeleteOperation.Resume(_account, id.Payload),
            OperationKind.Purge => _purge.Resume(id.Payload),
            _ => id.Payload.All(char.IsAsciiLetterOrDigit) ? DeploymentOperation(operationId, id.Payload, null) : null,
        };
        if (operation is null)
        {
            throw new ArgumentException($"'{operationId}' is not a CloudFront operation id ({Name}:<create|update>:<distribution>, {Name}:delete:<distribution|none>:<service id> or {Name}:purge:<distribution>:<invalidation,…>).", nameof(operationId));
        }

        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    // ------------------------------------------------------------------ steps

    private static CdnCapabilities BuildCapabilities(CloudFrontCdnProviderOptions options)
    {
        var certificates = CertificateSupport.Shared;
        if (!string.IsNullOrWhiteSpace(options.AcmCertificateArn))
        {
            certificates |= CertificateSupport.Custom | CertificateSupport.Sni;
        }

        var purge = PurgeSupport.Url | PurgeSupport.Prefix | PurgeSupport.All;
        if (!string.IsNullOrWhiteSpace(options.CacheTagHeaderName))
        {
            purge |= PurgeSupport.Tag;
        }

        return new CdnCapabilities
        {
            Restrictions = RestrictionSupport.All,
            PerPathRestrictions = RestrictionSupport.ReferrerWhitelist | RestrictionSupport.ReferrerBlacklist | RestrictionSupport.ClientIpWhitelist | RestrictionSupport.ClientIpBlacklist,
            PerPathCaching = true,
            MultipleOrigins = true,
            HostHeaders = HostHeaderSupport.Domain | HostHeaderSupport.Origin,
            OriginPorts = null,
            Ipv6Origins = false,
            IpAddressOrigins = false,
            Certificates = certificates,
            Purge = purge,
            LogDelivery = false,
            MaxDomains = CloudFrontTranslator.MaxAliases,
            MaxOrigins = 25,
            MaxRules = 150,
            MaxPurgeBatchSize = CloudFrontPurge.MaxPathsPerBatch,
            AsynchronousDeployment = true,
        };
    }

    /// <summary>The plan of a normalised spec: the capability check and the translator, every problem at once (the translator's word wins where both speak of one field).</summary>
    private (CloudFrontPlan Plan, IReadOnlyList<ValidationProblem> Problems) PlanFor(string serviceId, ServiceSpec spec)
    {
        var (plan, translated) = _translator.Plan(serviceId, spec);
        var paths = translated.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var problems = CapabilityChecker.Check(spec, Capabilities, Name).Where(p => !paths.Contains(p.Path)).Concat(translated).ToList();
        return (plan, problems);
    }

    /// <summary>Validates and plans — everything that can fail before a vendor call.</summary>
    /// <exception cref="CdnValidationException">The spec is invalid, or CloudFront cannot honour it.</exception>
    private (ServiceSpec Normalized, CloudFrontPlan Plan) Prepare(string serviceId, ServiceSpec spec, ValidationMode mode)
    {
        var normalized = ServiceSpecValidator.Validate(spec, mode).GetNormalizedOrThrow();
        var (plan, problems) = PlanFor(serviceId, normalized);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(ProviderPlan.Invalid(Name, problems).Problems);
        }

        return (normalized, plan);
    }

    private CdnOperation<ProviderServiceDetails> DeploymentOperation(OperationKind kind, string serviceId, Distribution distribution, ServiceSpec spec)
    {
        var id = new OperationId(Name, kind, distribution.Id).ToString();
        return distribution.Status == "Deployed"
            ? CdnOperations.Completed(id, Details(serviceId, distribution, spec.Domains, ProviderStatus.Deployed))
            : new CloudFrontOperation<ProviderServiceDetails>(id, ct => PollDeploymentAsync(id, distribution.Id, spec, ct), _account.Options.PollingInterval, _account.Time, "CloudFront status " + distribution.Status);
    }

    private CloudFrontOperation<ProviderServiceDetails> DeploymentOperation(string operationId, string distributionId, ServiceSpec? spec) =>
        new(operationId, ct => PollDeploymentAsync(operationId, distributionId, spec, ct), _account.Options.PollingInterval, _account.Time);

    private async ValueTask<OperationState<ProviderServiceDetails>> PollDeploymentAsync(string operationId, string distributionId, ServiceSpec? spec, CancellationToken cancellationToken)
    {
        var distribution = await _account.Api.Distributions.GetAsync(distributionId, cancellationToken).ConfigureAwait(false);
        if (distribution is null)
        {
            return OperationState<ProviderServiceDetails>.Failure(new CdnRequestFailedException(Name, $"CloudFront distribution '{distributionId}' no longer exists (operation {operationId}).", 404, CdnErrorCode.NotFound, isTransient: false));
        }

        var d = distribution.Value;
        if (d.Status != "Deployed")
        {
            return OperationState<ProviderServiceDetails>.Pending("CloudFront status " + d.Status);
        }

        Log.Deployed(_account.Logger, distributionId);
        var serviceId = d.Config.CallerReference;
        var domains = spec?.Domains ?? (await ReadAsync(serviceId, d, cancellationToken).ConfigureAwait(false)).Spec.Domains;
        return OperationState<ProviderServiceDetails>.Success(Details(serviceId, d, domains, ProviderStatus.Deployed), "deployed");
    }

    private ProviderServiceDetails Details(string serviceId, Distribution distribution, IReadOnlyList<DomainSpec> domains, ProviderStatus status)
    {
        var certificates = new Dictionary<string, CertificateStatus>(StringComparer.Ordinal);
        foreach (var domain in domains.Where(d => d.Protocol == DomainProtocol.Https))
        {
            certificates[domain.Domain] = status == ProviderStatus.Deployed ? CertificateStatus.Deployed : CertificateStatus.CreateInProgress;
        }

        return new ProviderServiceDetails
        {
            Provider = Name,
            ServiceId = serviceId,
            VendorServiceId = distribution.Id,
            Status = status,
            AccessUrls = domains.Select(d => new AccessUrl(d.Domain, distribution.DomainName)).ToList(),
            CertificateStatuses = certificates,
        };
    }

    /// <summary>Reads a distribution back: its tags (stamp and manifest), its live function, the spec and its drift.</summary>
    private async Task<ProviderService> ReadAsync(string serviceId, Distribution distribution, CancellationToken cancellationToken)
    {
        var tags = distribution.Arn.Length == 0 ? [] : await _account.Api.Tags.ListAsync(distribution.Arn, cancellationToken).ConfigureAwait(false);
        var manifest = CloudFrontTranslator.ReadManifest(tags);
        RestrictionProgram? program = null;
        if (CloudFrontReadBack.AssociatedFunctionName(distribution.Config) is { } name
            && await _account.Api.Functions.GetCodeAsync(name, "LIVE", cancellationToken).ConfigureAwait(false) is { } code)
        {
            program = ViewerRequestFunction.Read(code);
        }

        var (spec, drift) = _readBack.Read(serviceId, distribution, manifest, program);
        if (drift.Count > 0)
        {
            Log.Drift(_account.Logger, serviceId, distribution.Id, string.Join("; ", drift.Take(5)));
        }

        var status = distribution.Status == "Deployed" ? ProviderStatus.Deployed
            : !distribution.Config.Enabled ? ProviderStatus.DeleteInProgress
            : CloudFrontApply.IsFirstDeployment(tags) ? ProviderStatus.CreateInProgress
            : ProviderStatus.UpdateInProgress;
        return new ProviderService { Details = Details(serviceId, distribution, spec.Domains, status), Spec = spec, Drift = drift };
    }

    /// <summary>Finds the distribution of a Poppy service: by id when known, else by its comment stamp.</summary>
    private async Task<Distribution?> FindAsync(ServiceReference service, CancellationToken cancellationToken)
    {
        var id = service.VendorServiceId is { Length: > 0 } known ? known : (await FindByStampAsync(service.ServiceId, cancellationToken).ConfigureAwait(false))?.Id;
        if (id is null)
        {
            return null;
        }

        var found = await _account.Api.Distributions.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (found is not null)
        {
            _account.RequireOwned(service.ServiceId, id, found.Value.Config);
        }

        return found?.Value;
    }

    private async Task<DistributionSummary?> FindByStampAsync(string serviceId, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var page = await _account.Api.Distributions.ListAsync(marker, ListPageSize, cancellationToken).ConfigureAwait(false);
            if (page.Items.FirstOrDefault(s => CloudFrontTranslator.StampMatches(s.Comment, serviceId)) is { } match)
            {
                return match;
            }

            marker = page.IsTruncated ? page.NextMarker : null;
        }
        while (marker is not null);
        return null;
    }

    private static string? ExistingId(string message) =>
        Regex.Match(message, "Already exists: ([A-Z0-9]+)") is { Success: true } m ? m.Groups[1].Value : null;
}
