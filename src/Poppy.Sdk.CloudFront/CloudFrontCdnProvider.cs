using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Api;
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
/// <para>
/// <see cref="PlanService"/> shows offline what a spec becomes (the <c>DistributionConfig</c> XML and the function code)
/// or every problem CloudFront would raise; create and update refuse the same before any call. Get and list report
/// <see cref="ProviderService.Drift"/>. A purge that finds CloudFront's in-flight limits full fails at once with
/// <see cref="CdnRateLimitedException"/>; the composite's purge operation queues and resubmits.
/// </para>
/// <para>
/// Register it with <c>AddCloudFront()</c>, or construct it with <see cref="CreateHttpClient"/> and options. Requests are
/// signed with AWS Signature V4 by the client's handler, never by the provider.
/// </para>
/// </remarks>
public class CloudFrontCdnProvider : ICdnProvider
{
    private readonly CloudFrontAccount _account = null!;
    private readonly CloudFrontPlanner _planner = null!;
    private readonly CloudFrontServiceReader _reader = null!;
    private readonly CloudFrontServiceWriter _writer = null!;
    private readonly CloudFrontPurger _purger = null!;
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
        _capabilities = BuildCapabilities(copy);
        var translator = new CloudFrontTranslator(copy);
        _planner = new CloudFrontPlanner(copy.Name, _capabilities, translator);
        _reader = new CloudFrontServiceReader(_account, translator);
        _writer = new CloudFrontServiceWriter(_account, _reader);
        _purger = new CloudFrontPurger(_account, _reader, _capabilities);
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
        return _planner.Plan(spec);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, plan) = _planner.Prepare(serviceId, spec, ValidationMode.Create);
        var distribution = await _writer.CreateAsync(serviceId, plan, cancellationToken).ConfigureAwait(false);
        CloudFrontLog.Submitted(_account.Logger, serviceId, distribution.Id, distribution.Status);
        return DeploymentOperation(OperationKind.Create, serviceId, distribution, normalized);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, plan) = _planner.Prepare(service.ServiceId, spec, ValidationMode.Update);
        var found = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw _account.NotFound(service.ServiceId);
        var distribution = await _writer.UpdateAsync(service.ServiceId, found.Id, plan, cancellationToken).ConfigureAwait(false);
        CloudFrontLog.Submitted(_account.Logger, service.ServiceId, distribution.Id, distribution.Status);
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
        var found = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false);
        var operation = new CloudFrontDeleteOperation(_account, found?.Id, service.ServiceId);
        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <inheritdoc />
    /// <remarks><see cref="ProviderService.Drift"/> lists what differs between the spec stamped on the distribution and the distribution itself (changes made outside Poppy).</remarks>
    public virtual async Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false);
        return found is null ? null : await _reader.ReadServiceAsync(service.ServiceId, found, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One signed <c>ListDistributions</c> with <c>MaxItems=1</c>.</remarks>
    public virtual Task VerifyAccessAsync(CancellationToken cancellationToken = default) =>
        _account.Api.Distributions.ListAsync(marker: null, maxItems: 1, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Pages through <c>ListDistributions</c> lazily (100 a page, <c>Marker</c>/<c>NextMarker</c>) and reads each distribution stamped by Poppy, with its drift.</remarks>
    public virtual async IAsyncEnumerable<ProviderService> ListServicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var page = await _account.Api.Distributions.ListAsync(marker, CloudFrontServiceReader.ListPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var summary in page.Items)
            {
                if (CloudFrontTranslator.ReadStamp(summary.Comment) is null)
                {
                    continue;
                }

                var distribution = await _account.Api.Distributions.GetAsync(summary.Id, cancellationToken).ConfigureAwait(false);
                if (distribution is not null)
                {
                    yield return await _reader.ReadServiceAsync(distribution.Value.Config.CallerReference, distribution.Value, cancellationToken).ConfigureAwait(false);
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
    /// <see cref="CloudFrontCdnProviderOptions.InvalidationRetryInterval"/>): it neither waits nor resubmits; the composite's purge
    /// operation queues and resubmits the batch. Each invalidation's caller reference is
    /// <see cref="PurgeRequest.IdempotencyKey"/> when given, so a resubmitted batch is answered with the invalidations
    /// already made instead of invalidating twice; without a key, a hash of the distribution, the paths and the minute.
    /// The result is not <see cref="PurgeResult.Completed"/> until CloudFront finishes; wait on <see cref="PurgeResult.Completion"/>.
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
            OperationKind.Purge => _purger.Resume(id.Payload),
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
            MaxPurgeBatchSize = CloudFrontPurger.MaxPathsPerBatch,
            WriteRateLimit = CloudFrontWriteBudget.Limit(options),
            AsynchronousDeployment = true,
        };
    }

    private CdnOperation<ProviderServiceDetails> DeploymentOperation(OperationKind kind, string serviceId, Distribution distribution, ServiceSpec spec)
    {
        var id = new OperationId(Name, kind, distribution.Id).ToString();
        return distribution.Status == "Deployed"
            ? CdnOperations.Completed(id, _reader.Details(serviceId, distribution, spec.Domains, ProviderStatus.Deployed))
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

        CloudFrontLog.Deployed(_account.Logger, distributionId);
        var serviceId = d.Config.CallerReference;
        var domains = spec?.Domains ?? (await _reader.ReadServiceAsync(serviceId, d, cancellationToken).ConfigureAwait(false)).Spec.Domains;
        return OperationState<ProviderServiceDetails>.Success(_reader.Details(serviceId, d, domains, ProviderStatus.Deployed), "deployed");
    }
}
