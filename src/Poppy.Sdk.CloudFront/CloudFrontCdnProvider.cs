using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
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
/// can be resumed from its id. A delete disables the distribution, waits for it to deploy, then deletes it.
/// </para>
/// <para>Construct it with an <see cref="HttpClient"/> and options, or register it with <c>AddCloudFront()</c>. Requests are signed with AWS Signature V4.</para>
/// </remarks>
public class CloudFrontCdnProvider : ICdnProvider
{
    private const int ListPageSize = 100;
    private const string StageTag = "poppy:stage";
    private const int MaxPathsPerBatch = 3000;
    private const int MaxWildcardsPerBatch = 15;

    private readonly CloudFrontApiClient _api = null!;
    private readonly CloudFrontTranslator _translator = null!;
    private readonly CloudFrontCdnProviderOptions _options = null!;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ILogger _logger = NullLogger.Instance;
    private readonly CdnCapabilities _capabilities = null!;

    /// <summary>Creates the provider.</summary>
    /// <param name="httpClient">The client used for the CloudFront API (its own base address is not used; see <see cref="CloudFrontCdnProviderOptions.BaseAddress"/>).</param>
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

        _options = options.Clone();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _api = new CloudFrontApiClient(httpClient, _options, _time, _logger);
        _translator = new CloudFrontTranslator(_options);
        _capabilities = BuildCapabilities(_options);
    }

    /// <summary>For mocking frameworks only.</summary>
    protected CloudFrontCdnProvider()
    {
    }

    /// <inheritdoc />
    public virtual string Name => _options.Name;

    /// <summary>
    /// What CloudFront can honour through this provider: every restriction kind (geography for the whole
    /// distribution only); per-path caching; several origins routed by path (DNS names, not IP addresses);
    /// the viewer's or the origin's host as Host header, not a custom one; the shared certificate, plus custom
    /// and SNI certificates when an ACM certificate is configured; URL, prefix and purge-all invalidations, tag
    /// invalidations when a cache-tag header is configured; no soft purge; no log delivery; asynchronous deployment.
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
        var (normalized, plan) = Prepare(serviceId, spec, ValidationMode.Create);
        Log.Creating(_logger, serviceId);
        plan = await WithFunctionAsync(serviceId, plan, cancellationToken).ConfigureAwait(false);
        Distribution distribution;
        try
        {
            distribution = (await _api.CreateDistributionAsync(plan.Config, WithStage(plan.Tags, "created"), cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "DistributionAlreadyExists")
        {
            // Same caller reference: this service's distribution exists (an earlier attempt got through). Converge it.
            var existingId = ExistingId(ex.Message) ?? (await FindByStampAsync(serviceId, cancellationToken).ConfigureAwait(false))?.Id
                ?? throw new CdnRequestFailedException(Name, $"CloudFront says a distribution with caller reference '{serviceId}' exists, but none is stamped for this service.", 409, CdnErrorCode.Conflict, false, ex.VendorErrorCode, ex.RequestId, ex);
            Log.Converging(_logger, serviceId, existingId);
            distribution = await ApplyAsync(serviceId, existingId, plan, "created", cancellationToken).ConfigureAwait(false);
        }

        Log.Submitted(_logger, serviceId, distribution.Id, distribution.Status);
        return DeploymentOperation("create", serviceId, distribution, normalized);
    }

    /// <inheritdoc />
    public virtual async Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        ArgumentNullException.ThrowIfNull(spec);
        var (normalized, plan) = Prepare(service.ServiceId, spec, ValidationMode.Update);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw NotFound(service.ServiceId);
        plan = await WithFunctionAsync(service.ServiceId, plan, cancellationToken).ConfigureAwait(false);
        var distribution = await ApplyAsync(service.ServiceId, found.Id, plan, "updated", cancellationToken).ConfigureAwait(false);
        Log.Submitted(_logger, service.ServiceId, distribution.Id, distribution.Status);
        return DeploymentOperation("update", service.ServiceId, distribution, normalized);
    }

    /// <inheritdoc />
    /// <remarks>
    /// CloudFront deletes only disabled, deployed distributions: this disables the distribution and returns an
    /// operation that waits for it to deploy, deletes it with a fresh ETag, then deletes the service's function.
    /// </remarks>
    public virtual async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            await DeleteFunctionAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
            return CdnOperations.Completed<object?>(CloudFrontOperationId.Format("delete", service.VendorServiceId is { Length: > 0 } v && v.All(char.IsAsciiLetterOrDigit) ? v : "none"), null);
        }

        await DisableAsync(service.ServiceId, found.Id, cancellationToken).ConfigureAwait(false);
        var operation = DeleteOperation(CloudFrontOperationId.Format("delete", found.Id), found.Id);
        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <inheritdoc />
    public virtual async Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service.ServiceId);
        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false);
        return found is null ? null : await ReadAsync(service.ServiceId, found, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Pages through <c>ListDistributions</c> lazily (100 a page, <c>Marker</c>/<c>NextMarker</c>) and reads each distribution stamped by Poppy.</remarks>
    public virtual async IAsyncEnumerable<ProviderService> ListServicesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var page = await _api.ListDistributionsAsync(marker, ListPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var summary in page.Items)
            {
                if (CloudFrontTranslator.ReadStamp(summary.Comment) is null)
                {
                    continue;
                }

                var distribution = await _api.GetDistributionAsync(summary.Id, cancellationToken).ConfigureAwait(false);
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
    /// <c>/prefix*</c>, everything <c>/*</c>, a tag <c>#tag</c> (only with a cache-tag header). Items are sent in
    /// batches of at most 3,000 paths and 15 wildcard paths (CloudFront's in-flight limits per distribution).
    /// </para>
    /// <para>
    /// Each batch's caller reference is a hash of the distribution, its paths and the minute the call began, so a
    /// retried call does not invalidate twice. When CloudFront answers <c>TooManyInvalidationsInProgress</c>, the call
    /// waits for room (polling every <see cref="CloudFrontCdnProviderOptions.PollingInterval"/>) up to
    /// <see cref="CloudFrontCdnProviderOptions.InvalidationQueueTimeout"/>, then fails with
    /// <see cref="CdnRateLimitedException"/> naming what was already submitted (retrying submits only the rest).
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

        var found = await FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw NotFound(service.ServiceId);
        if (request.Kind == PurgeKind.Tag && found.Config.CacheTagHeaderName is null)
        {
            throw new CdnValidationException([new ValidationProblem("/kind", $"Distribution {found.Id} has no cache-tag header (CacheTagConfig); update the service after setting CacheTagHeaderName to purge by tag.") { Provider = Name }]);
        }

        var (paths, emulation) = InvalidationPaths(request);
        var batches = Batch(paths);
        var minute = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var results = new List<PurgeBatchResult>(batches.Count);
        var started = _time.GetTimestamp();
        for (var b = 0; b < batches.Count; b++)
        {
            var reference = CallerReference(found.Id, batches[b], minute);
            while (true)
            {
                try
                {
                    var invalidation = await _api.CreateInvalidationAsync(found.Id, batches[b], reference, cancellationToken).ConfigureAwait(false);
                    Log.Invalidation(_logger, found.Id, invalidation.Id, batches[b].Count);
                    results.Add(new PurgeBatchResult(invalidation.Id, batches[b], invalidation.Status == "Completed"));
                    break;
                }
                catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "TooManyInvalidationsInProgress")
                {
                    if (_time.GetElapsedTime(started) + _options.PollingInterval > _options.InvalidationQueueTimeout)
                    {
                        var submitted = results.Select(r => r.VendorPurgeId!).ToList();
                        throw new CdnRateLimitedException(
                            Name,
                            string.Create(CultureInfo.InvariantCulture, $"CloudFront has too many invalidations in progress on distribution {found.Id}; {b} of {batches.Count} batch(es) were submitted")
                                + (submitted.Count > 0 ? " (" + string.Join(", ", submitted) + ")" : "")
                                + ". Retry later: the submitted batches are not repeated.",
                            _options.PollingInterval,
                            400,
                            ex.VendorErrorCode,
                            ex.RequestId,
                            ex);
                    }

                    Log.InvalidationQueued(_logger, found.Id, _options.PollingInterval, b, batches.Count);
                    await Task.Delay(_options.PollingInterval, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var ids = results.Select(r => r.VendorPurgeId!).ToList();
        var completed = results.All(r => r.Completed);
        return new PurgeResult
        {
            Provider = Name,
            Items = request.Items,
            VendorPurgeIds = ids,
            Batches = results,
            Completed = completed,
            Emulation = emulation,
            Completion = completed ? null : InvalidationOperation(CloudFrontOperationId.Purge(found.Id, ids), found.Id, ids),
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Ids: <c>cloudfront:create:&lt;distribution&gt;</c> and <c>cloudfront:update:…</c> wait for <c>Deployed</c>;
    /// <c>cloudfront:delete:…</c> carries on with the delete; <c>cloudfront:purge:&lt;distribution&gt;:&lt;invalidation,…&gt;</c>
    /// waits for the invalidations to complete.
    /// </remarks>
    public virtual async Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        if (!CloudFrontOperationId.TryParse(operationId, out var kind, out var distributionId, out var invalidations))
        {
            throw new ArgumentException($"'{operationId}' is not a CloudFront operation id (cloudfront:<create|update|delete>:<distribution> or cloudfront:purge:<distribution>:<invalidation,…>).", nameof(operationId));
        }

        CdnOperation operation = kind switch
        {
            "delete" => DeleteOperation(operationId, distributionId),
            "purge" => InvalidationOperation(operationId, distributionId, invalidations),
            _ => DeploymentOperation(operationId, distributionId, null),
        };
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
            MaxPurgeBatchSize = MaxPathsPerBatch,
            AsynchronousDeployment = true,
        };
    }

    /// <summary>Validates, checks capabilities and translates — everything that can fail before a vendor call.</summary>
    private (ServiceSpec Normalized, CloudFrontPlan Plan) Prepare(string serviceId, ServiceSpec spec, ValidationMode mode)
    {
        var normalized = ServiceSpecValidator.Validate(spec, mode).GetNormalizedOrThrow();
        var problems = CapabilityChecker.Check(normalized, Capabilities, Name);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems);
        }

        return (normalized, _translator.Build(serviceId, normalized, _ => ""));
    }

    /// <summary>Creates or updates and publishes the restriction function when the plan needs one, and points the behaviours at it.</summary>
    private async Task<CloudFrontPlan> WithFunctionAsync(string serviceId, CloudFrontPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Program is null || plan.FunctionName is not { } name)
        {
            return plan;
        }

        var code = ViewerRequestFunction.Code(plan.Program);
        var comment = CloudFrontTranslator.Comment(serviceId);
        var development = await _api.DescribeFunctionAsync(name, "DEVELOPMENT", cancellationToken).ConfigureAwait(false);
        string arn;
        if (development is null)
        {
            Tagged<FunctionSummary> created;
            try
            {
                created = await _api.CreateFunctionAsync(name, comment, code, cancellationToken).ConfigureAwait(false);
            }
            catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "FunctionAlreadyExists")
            {
                // Created by a concurrent attempt between our describe and create: take it over.
                var raced = await _api.DescribeFunctionAsync(name, "DEVELOPMENT", cancellationToken).ConfigureAwait(false)
                    ?? throw new CdnRequestFailedException(Name, $"CloudFront says function '{name}' exists, but it cannot be described.", 409, CdnErrorCode.Conflict, isTransient: true, ex.VendorErrorCode, ex.RequestId, ex);
                created = await _api.UpdateFunctionAsync(name, RequireETag(raced.ETag, "describe function"), comment, code, cancellationToken).ConfigureAwait(false);
            }

            arn = (await _api.PublishFunctionAsync(name, RequireETag(created.ETag, "create function"), cancellationToken).ConfigureAwait(false)).FunctionArn;
            Log.FunctionPublished(_logger, serviceId, name);
        }
        else
        {
            arn = development.Value.FunctionArn;
            var live = await _api.GetFunctionCodeAsync(name, "LIVE", cancellationToken).ConfigureAwait(false);
            if (live != code)
            {
                var updated = await _api.UpdateFunctionAsync(name, RequireETag(development.ETag, "describe function"), comment, code, cancellationToken).ConfigureAwait(false);
                arn = (await _api.PublishFunctionAsync(name, RequireETag(updated.ETag, "update function"), cancellationToken).ConfigureAwait(false)).FunctionArn;
                Log.FunctionPublished(_logger, serviceId, name);
            }
        }

        var association = new FunctionAssociation(arn, ViewerRequestFunction.EventType);
        foreach (var behavior in plan.Config.CacheBehaviors.Append(plan.Config.DefaultCacheBehavior))
        {
            behavior.FunctionAssociations = [association];
        }

        return plan;
    }

    /// <summary>Replaces an existing distribution's config with the plan (If-Match; one re-read on 412), keeping members Poppy does not manage, and refreshes the manifest tags.</summary>
    private async Task<Distribution> ApplyAsync(string serviceId, string distributionId, CloudFrontPlan plan, string stage, CancellationToken cancellationToken)
    {
        Distribution? updated = null;
        for (var attempt = 0; updated is null; attempt++)
        {
            var current = await _api.GetDistributionConfigAsync(distributionId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(serviceId);
            RequireOwned(serviceId, distributionId, current.Value);
            var config = plan.Config;
            config.Preserved = current.Value.Preserved;
            config.CallerReference = current.Value.CallerReference;
            try
            {
                updated = (await _api.UpdateDistributionAsync(distributionId, config, RequireETag(current.ETag, "get distribution config"), cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (CdnRequestFailedException ex) when (ex.ErrorCode == CdnErrorCode.PreconditionFailed)
            {
                if (attempt > 0)
                {
                    throw new CdnRequestFailedException(Name, $"Distribution {distributionId} changed twice while Poppy was updating it (HTTP 412 PreconditionFailed after a re-read); something else is editing it. Try again once it settles.", 412, CdnErrorCode.PreconditionFailed, isTransient: true, ex.VendorErrorCode, ex.RequestId, ex);
                }

                Log.PreconditionRetry(_logger, distributionId);
            }
        }

        await RetagAsync(updated.Arn, WithStage(plan.Tags, stage), cancellationToken).ConfigureAwait(false);
        if (plan.Program is null)
        {
            await DeleteFunctionAsync(serviceId, cancellationToken).ConfigureAwait(false);
        }

        return updated;
    }

    private async Task RetagAsync(string arn, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        if (arn.Length == 0)
        {
            return;
        }

        var existing = await _api.ListTagsAsync(arn, cancellationToken).ConfigureAwait(false);
        var stale = existing.Where(t => t.Key.StartsWith("poppy:", StringComparison.Ordinal) && !tags.Any(n => n.Key == t.Key)).Select(t => t.Key).ToList();
        if (stale.Count > 0)
        {
            await _api.UntagAsync(arn, stale, cancellationToken).ConfigureAwait(false);
        }

        if (tags.Count > 0)
        {
            await _api.TagAsync(arn, tags, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DisableAsync(string serviceId, string distributionId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await _api.GetDistributionConfigAsync(distributionId, cancellationToken).ConfigureAwait(false);
            if (current is null || !current.Value.Enabled)
            {
                return;
            }

            RequireOwned(serviceId, distributionId, current.Value);
            current.Value.Enabled = false;
            Log.Deleting(_logger, serviceId, distributionId, "disabling");
            try
            {
                await _api.UpdateDistributionAsync(distributionId, current.Value, RequireETag(current.ETag, "get distribution config"), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (CdnRequestFailedException ex) when (ex.ErrorCode == CdnErrorCode.PreconditionFailed && attempt == 0)
            {
                Log.PreconditionRetry(_logger, distributionId);
            }
        }
    }

    /// <summary>Deletes the service's function if it exists; a function still in use is left for the next delete.</summary>
    private async Task DeleteFunctionAsync(string serviceId, CancellationToken cancellationToken)
    {
        var name = CloudFrontTranslator.FunctionName(serviceId);
        var described = await _api.DescribeFunctionAsync(name, "DEVELOPMENT", cancellationToken).ConfigureAwait(false);
        if (described is null)
        {
            return;
        }

        try
        {
            await _api.DeleteFunctionAsync(name, RequireETag(described.ETag, "describe function"), cancellationToken).ConfigureAwait(false);
        }
        catch (CdnRequestFailedException ex) when (ex.VendorErrorCode is "FunctionInUse" or "PreconditionFailed")
        {
            Log.FunctionKept(_logger, name, ex.VendorErrorCode);
        }
    }

    private CloudFrontOperation<ProviderServiceDetails> DeploymentOperation(string kind, string serviceId, Distribution distribution, ServiceSpec spec)
    {
        var id = CloudFrontOperationId.Format(kind, distribution.Id);
        var initial = distribution.Status == "Deployed"
            ? OperationState<ProviderServiceDetails>.Success(Details(serviceId, distribution, spec.Domains, ProviderStatus.Deployed), "deployed")
            : OperationState<ProviderServiceDetails>.Pending("CloudFront status " + distribution.Status);
        return new CloudFrontOperation<ProviderServiceDetails>(id, ct => PollDeploymentAsync(id, distribution.Id, spec, ct), _options.PollingInterval, _time, initial);
    }

    private CloudFrontOperation<ProviderServiceDetails> DeploymentOperation(string operationId, string distributionId, ServiceSpec? spec) =>
        new(operationId, ct => PollDeploymentAsync(operationId, distributionId, spec, ct), _options.PollingInterval, _time);

    private async ValueTask<OperationState<ProviderServiceDetails>> PollDeploymentAsync(string operationId, string distributionId, ServiceSpec? spec, CancellationToken cancellationToken)
    {
        var distribution = await _api.GetDistributionAsync(distributionId, cancellationToken).ConfigureAwait(false);
        if (distribution is null)
        {
            return OperationState<ProviderServiceDetails>.Failure(new CdnRequestFailedException(Name, $"CloudFront distribution '{distributionId}' no longer exists (operation {operationId}).", 404, CdnErrorCode.NotFound, isTransient: false));
        }

        var d = distribution.Value;
        if (d.Status != "Deployed")
        {
            return OperationState<ProviderServiceDetails>.Pending("CloudFront status " + d.Status);
        }

        Log.Deployed(_logger, distributionId);
        var serviceId = d.Config.CallerReference;
        var domains = spec?.Domains ?? (await ReadAsync(serviceId, d, cancellationToken).ConfigureAwait(false)).Spec.Domains;
        return OperationState<ProviderServiceDetails>.Success(Details(serviceId, d, domains, ProviderStatus.Deployed), "deployed");
    }

    private CloudFrontOperation<object?> DeleteOperation(string operationId, string distributionId) =>
        new(operationId, async ct =>
        {
            var distribution = await _api.GetDistributionAsync(distributionId, ct).ConfigureAwait(false);
            if (distribution is null)
            {
                return OperationState<object?>.Success(null, "deleted");
            }

            var d = distribution.Value;
            var serviceId = d.Config.CallerReference;
            if (d.Config.Enabled)
            {
                await DisableAsync(serviceId, distributionId, ct).ConfigureAwait(false);
                return OperationState<object?>.Pending("disabling");
            }

            if (d.Status != "Deployed")
            {
                return OperationState<object?>.Pending("waiting for the disabled distribution to deploy");
            }

            Log.Deleting(_logger, serviceId, distributionId, "deleting");
            try
            {
                await _api.DeleteDistributionAsync(distributionId, RequireETag(distribution.ETag, "get distribution"), ct).ConfigureAwait(false);
            }
            catch (CdnRequestFailedException ex) when (ex.ErrorCode == CdnErrorCode.PreconditionFailed || ex.VendorErrorCode == "DistributionNotDisabled")
            {
                // Changed between our read and the delete; look again on the next poll.
                return OperationState<object?>.Pending("retrying the delete");
            }

            await DeleteFunctionAsync(serviceId, ct).ConfigureAwait(false);
            return OperationState<object?>.Success(null, "deleted");
        }, _options.PollingInterval, _time);

    private CloudFrontOperation<object?> InvalidationOperation(string operationId, string distributionId, IReadOnlyList<string> invalidationIds)
    {
        var pending = new HashSet<string>(invalidationIds, StringComparer.Ordinal);
        return new CloudFrontOperation<object?>(operationId, async ct =>
        {
            foreach (var id in pending.ToList())
            {
                var invalidation = await _api.GetInvalidationAsync(distributionId, id, ct).ConfigureAwait(false)
                    ?? throw new CdnRequestFailedException(Name, $"Invalidation '{id}' of distribution '{distributionId}' does not exist.", 404, CdnErrorCode.NotFound, isTransient: false);
                if (invalidation.Status == "Completed")
                {
                    pending.Remove(id);
                }
            }

            return pending.Count == 0
                ? OperationState<object?>.Success(null, "completed")
                : OperationState<object?>.Pending(string.Create(CultureInfo.InvariantCulture, $"{invalidationIds.Count - pending.Count} of {invalidationIds.Count} invalidation(s) completed"));
        }, _options.PollingInterval, _time);
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

    private async Task<ProviderService> ReadAsync(string serviceId, Distribution distribution, CancellationToken cancellationToken)
    {
        var tags = distribution.Arn.Length == 0 ? [] : await _api.ListTagsAsync(distribution.Arn, cancellationToken).ConfigureAwait(false);
        var manifest = CloudFrontTranslator.ReadManifest(tags);
        RestrictionProgram? program = null;
        if (distribution.Config.DefaultCacheBehavior.FunctionAssociations.FirstOrDefault(f => f.EventType == ViewerRequestFunction.EventType) is { } association)
        {
            var name = association.FunctionArn[(association.FunctionArn.LastIndexOf('/') + 1)..];
            if (await _api.GetFunctionCodeAsync(name, "LIVE", cancellationToken).ConfigureAwait(false) is { } code)
            {
                program = ViewerRequestFunction.Read(code);
            }
        }

        var drift = new List<string>();
        var spec = _translator.Read(serviceId, distribution, manifest, program, drift);
        if (drift.Count > 0)
        {
            Log.Drift(_logger, serviceId, distribution.Id, string.Join("; ", drift));
        }

        var status = distribution.Status == "Deployed" ? ProviderStatus.Deployed
            : !distribution.Config.Enabled ? ProviderStatus.DeleteInProgress
            : tags.Any(t => t.Key == StageTag && t.Value == "created") ? ProviderStatus.CreateInProgress
            : ProviderStatus.UpdateInProgress;
        return new ProviderService { Details = Details(serviceId, distribution, spec.Domains, status), Spec = spec };
    }

    /// <summary>Finds the distribution of a Poppy service: by id when known, else by its comment stamp.</summary>
    private async Task<Distribution?> FindAsync(ServiceReference service, CancellationToken cancellationToken)
    {
        if (service.VendorServiceId is { Length: > 0 } id)
        {
            var byId = await _api.GetDistributionAsync(id, cancellationToken).ConfigureAwait(false);
            if (byId is not null)
            {
                RequireOwned(service.ServiceId, id, byId.Value.Config);
                return byId.Value;
            }

            return null;
        }

        var summary = await FindByStampAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
        if (summary is null)
        {
            return null;
        }

        var found = await _api.GetDistributionAsync(summary.Id, cancellationToken).ConfigureAwait(false);
        if (found is not null)
        {
            RequireOwned(service.ServiceId, summary.Id, found.Value.Config);
        }

        return found?.Value;
    }

    private async Task<DistributionSummary?> FindByStampAsync(string serviceId, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var page = await _api.ListDistributionsAsync(marker, ListPageSize, cancellationToken).ConfigureAwait(false);
            if (page.Items.FirstOrDefault(s => CloudFrontTranslator.StampMatches(s.Comment, serviceId)) is { } match)
            {
                return match;
            }

            marker = page.IsTruncated ? page.NextMarker : null;
        }
        while (marker is not null);
        return null;
    }

    private void RequireOwned(string serviceId, string distributionId, DistributionConfig config)
    {
        if (config.CallerReference != serviceId)
        {
            throw new CdnRequestFailedException(
                Name,
                CloudFrontTranslator.ReadStamp(config.Comment) is null
                    ? $"CloudFront distribution '{distributionId}' was not created by Poppy for service '{serviceId}'; Poppy will not change a distribution it did not create."
                    : $"CloudFront distribution '{distributionId}' belongs to Poppy service '{config.CallerReference}', not '{serviceId}'.",
                409,
                CdnErrorCode.Conflict,
                isTransient: false);
        }
    }

    private static (List<string> Paths, string? Emulation) InvalidationPaths(PurgeRequest request)
    {
        switch (request.Kind)
        {
            case PurgeKind.Url:
                var hosts = false;
                var paths = request.Items.Select(item =>
                {
                    var path = item;
                    if (!item.StartsWith('/'))
                    {
                        var uri = new Uri(item, UriKind.Absolute);
                        hosts = true;
                        path = uri.AbsolutePath;
                    }

                    return path.Replace("*", "%2A", StringComparison.Ordinal);
                }).Distinct(StringComparer.Ordinal).ToList();
                return (paths, hosts ? "URLs purged by path on the whole distribution (it serves every domain of the service)" : null);
            case PurgeKind.Prefix:
                return (request.Items.Select(p => (p.StartsWith('/') ? p : "/" + p).TrimEnd('*') + "*").Distinct(StringComparer.Ordinal).ToList(), "prefix as wildcard path '/prefix*'");
            case PurgeKind.Tag:
                return (request.Items.Select(t => "#" + t).ToList(), null);
            default:
                return (["/*"], null);
        }
    }

    /// <summary>Splits paths into batches of at most 3,000 paths and 15 wildcard paths, in order.</summary>
    internal static List<List<string>> Batch(IReadOnlyList<string> paths)
    {
        var batches = new List<List<string>>();
        var current = new List<string>();
        var wildcards = 0;
        foreach (var path in paths)
        {
            var wildcard = path.EndsWith('*');
            if (current.Count == MaxPathsPerBatch || (wildcard && wildcards == MaxWildcardsPerBatch))
            {
                batches.Add(current);
                current = [];
                wildcards = 0;
            }

            current.Add(path);
            wildcards += wildcard ? 1 : 0;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    internal static string CallerReference(string distributionId, IReadOnlyList<string> paths, long minute)
    {
        var text = distributionId + "\n" + minute.ToString(CultureInfo.InvariantCulture) + "\n" + string.Join("\n", paths);
        return "poppy-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }

    /// <summary>The tags plus <c>poppy:stage</c> (<c>created</c> or <c>updated</c>), which tells a first deployment from a later one while in progress.</summary>
    private static List<KeyValuePair<string, string>> WithStage(IReadOnlyList<KeyValuePair<string, string>> tags, string stage) =>
        [.. tags, KeyValuePair.Create(StageTag, stage)];

    private static string? ExistingId(string message) =>
        Regex.Match(message, "Already exists: ([A-Z0-9]+)") is { Success: true } m ? m.Groups[1].Value : null;

    private string RequireETag(string? etag, string operation) =>
        etag is { Length: > 0 } ? etag : throw new CdnRequestFailedException(Name, $"CloudFront {operation} returned no ETag.", null, CdnErrorCode.MalformedResponse, isTransient: false);

    private CdnRequestFailedException NotFound(string serviceId) =>
        new(Name, $"CloudFront has no distribution for Poppy service '{serviceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);
}
