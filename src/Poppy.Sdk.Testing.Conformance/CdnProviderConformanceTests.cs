using Poppy.Sdk.Models;
using Xunit;

namespace Poppy.Sdk.Testing;

/// <summary>
/// The behaviour every <see cref="ICdnProvider"/> must show. A provider's test project derives from
/// this class once, says how to create a fresh provider and how to inject faults, and inherits
/// the facts: create → get → update → purge → delete, idempotent create, status and error mapping,
/// paging, cancellation, capability rejection and resuming an operation.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Test names follow Member_Scenario_Expected.")]
public abstract class CdnProviderConformanceTests
{
    /// <summary>Creates a fresh provider with no services (for example against a fresh emulator).</summary>
    /// <returns>The provider.</returns>
    protected abstract Task<ICdnProvider> CreateProviderAsync();

    /// <summary>Makes the provider's next call fail with a transient error (a 5xx from the vendor).</summary>
    /// <param name="provider">The provider from <see cref="CreateProviderAsync"/>.</param>
    /// <returns>A task.</returns>
    protected abstract Task InjectTransientFailureAsync(ICdnProvider provider);

    /// <summary>Makes the provider's next call be rate-limited with the given <c>Retry-After</c>.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="retryAfter">The delay the vendor asks for.</param>
    /// <returns>A task.</returns>
    protected abstract Task InjectRateLimitAsync(ICdnProvider provider, TimeSpan retryAfter);

    /// <summary>Makes the provider's next call fail authentication (401/403).</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>A task.</returns>
    protected abstract Task InjectAuthFailureAsync(ICdnProvider provider);

    /// <summary>Waits for an operation to complete; override to drive a fake clock.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>A task that completes with the operation.</returns>
    protected virtual Task CompleteAsync(CdnOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(50));
    }

    /// <summary>A valid, normalised spec using only features the capabilities allow.</summary>
    /// <param name="capabilities">The provider's capabilities.</param>
    /// <param name="name">The service name.</param>
    /// <returns>The spec.</returns>
    protected virtual ServiceSpec CreateSampleSpec(CdnCapabilities capabilities, string name)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var restrictions = new List<Restriction>();
        if (capabilities.Restrictions.HasFlag(RestrictionSupport.ReferrerBlacklist))
        {
            restrictions.Add(new Restriction("no-spam", RestrictionAccess.Blacklist, RestrictionRule.ForReferrer("spam.example.org")));
        }

        return new ServiceSpec
        {
            Name = name,
            FlavorId = "conformance",
            Domains = [new DomainSpec($"{name}.conformance.example.com")],
            Origins = [new OriginSpec("origin.conformance.example.net", 443, ssl: true) { Rules = [new PathRule("default", "/*")] }],
            Caching = [new CachingRule("default", 3600, new PathRule("default", "/*"))],
            Restrictions = restrictions,
        };
    }

    /// <summary>Create, read back, update, purge, delete — the whole life of a service.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Lifecycle_CreateGetUpdatePurgeDelete_Works()
    {
        var provider = await CreateProviderAsync();
        var spec = CreateSampleSpec(provider.Capabilities, "lifecycle");
        var serviceId = NewId();

        var create = await provider.CreateServiceAsync(serviceId, spec);
        await CompleteAsync(create);
        var created = create.Value;
        Assert.Equal(provider.Name, created.Provider);
        Assert.Equal(serviceId, created.ServiceId);
        Assert.False(string.IsNullOrEmpty(created.VendorServiceId));
        Assert.Equal(ProviderStatus.Deployed, created.Status);
        Assert.Equal(spec.Domains.Select(d => d.Domain), created.AccessUrls.Select(a => a.Domain));
        Assert.All(created.AccessUrls, a => Assert.False(string.IsNullOrWhiteSpace(a.ProviderUrl)));

        var read = await provider.GetServiceAsync(new ServiceReference(serviceId, created.VendorServiceId));
        Assert.NotNull(read);
        Assert.Equal(serviceId, read!.Details.ServiceId);
        Assert.Equal(spec.Domains.Select(d => d.Domain), read.Spec.Domains.Select(d => d.Domain));
        Assert.Equal(spec.Origins.Select(o => (o.Origin, o.Port, o.Ssl)), read.Spec.Origins.Select(o => (o.Origin, o.Port, o.Ssl)));
        Assert.Equal(3600, read.Spec.Caching!.Single(c => c.Rules.Any(r => r.RequestUrl == "/*")).Ttl);

        var changed = spec with { Caching = [new CachingRule("default", 120, new PathRule("default", "/*"))] };
        var update = await provider.UpdateServiceAsync(new ServiceReference(serviceId, created.VendorServiceId), changed);
        await CompleteAsync(update);
        Assert.Equal(ProviderStatus.Deployed, update.Value.Status);
        var reread = await provider.GetServiceAsync(new ServiceReference(serviceId));
        Assert.Equal(120, reread!.Spec.Caching!.Single(c => c.Rules.Any(r => r.RequestUrl == "/*")).Ttl);

        var purge = await provider.PurgeAsync(new ServiceReference(serviceId, created.VendorServiceId), PurgeRequest.ForUrls("/index.html"));
        Assert.Equal(provider.Name, purge.Provider);

        var delete = await provider.DeleteServiceAsync(new ServiceReference(serviceId, created.VendorServiceId));
        await CompleteAsync(delete);
        Assert.Null(delete.Error);
        Assert.Null(await provider.GetServiceAsync(new ServiceReference(serviceId)));
    }

    /// <summary>A create retried with the same service id must not make a second vendor resource.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CreateServiceAsync_RetriedWithSameServiceId_DoesNotDuplicate()
    {
        var provider = await CreateProviderAsync();
        var spec = CreateSampleSpec(provider.Capabilities, "retry");
        var serviceId = NewId();

        var first = await provider.CreateServiceAsync(serviceId, spec);
        await CompleteAsync(first);
        var second = await provider.CreateServiceAsync(serviceId, spec);
        await CompleteAsync(second);

        Assert.Equal(first.Value.VendorServiceId, second.Value.VendorServiceId);
        var all = await ListAllAsync(provider);
        Assert.Single(all, s => s.Details.ServiceId == serviceId);
    }

    /// <summary>Asynchronous providers report create-in-progress before deployed; all report deployed at the end.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CreateServiceAsync_Status_InProgressThenDeployed()
    {
        var provider = await CreateProviderAsync();
        var serviceId = NewId();

        var op = await provider.CreateServiceAsync(serviceId, CreateSampleSpec(provider.Capabilities, "status"));
        if (provider.Capabilities.AsynchronousDeployment)
        {
            Assert.False(op.HasCompleted);
            var during = await provider.GetServiceAsync(new ServiceReference(serviceId));
            Assert.Equal(ProviderStatus.CreateInProgress, during!.Details.Status);
        }

        await CompleteAsync(op);
        var after = await provider.GetServiceAsync(new ServiceReference(serviceId));
        Assert.Equal(ProviderStatus.Deployed, after!.Details.Status);
    }

    /// <summary>A vendor 5xx surfaces as a transient <see cref="CdnRequestFailedException"/> naming the provider.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Errors_TransientFailure_IsTransientRequestFailed()
    {
        var provider = await CreateProviderAsync();
        await InjectTransientFailureAsync(provider);

        var ex = await Assert.ThrowsAnyAsync<CdnRequestFailedException>(() => provider.GetServiceAsync(new ServiceReference(NewId())));

        Assert.True(ex.IsTransient);
        Assert.Equal(provider.Name, ex.Provider);
    }

    /// <summary>A vendor 429 surfaces as <see cref="CdnRateLimitedException"/> with the delay it asked for.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Errors_RateLimited_CarriesRetryAfter()
    {
        var provider = await CreateProviderAsync();
        await InjectRateLimitAsync(provider, TimeSpan.FromSeconds(42));

        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => provider.GetServiceAsync(new ServiceReference(NewId())));

        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(42), ex.RetryAfter);
    }

    /// <summary>An authentication failure is not transient and carries 401 or 403.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Errors_AuthFailure_IsNotTransient()
    {
        var provider = await CreateProviderAsync();
        await InjectAuthFailureAsync(provider);

        var ex = await Assert.ThrowsAnyAsync<CdnRequestFailedException>(() => provider.GetServiceAsync(new ServiceReference(NewId())));

        Assert.False(ex.IsTransient);
        Assert.Contains(ex.Status, new int?[] { 401, 403 });
    }

    /// <summary>Listing pages lazily and returns every stamped service exactly once.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task ListServicesAsync_MoreThanOnePage_ReturnsEachServiceOnce()
    {
        var provider = await CreateProviderAsync();
        var ids = new List<string>();
        for (var i = 0; i < ListPageSizeHint + 2; i++)
        {
            var id = NewId();
            ids.Add(id);
            await CompleteAsync(await provider.CreateServiceAsync(id, CreateSampleSpec(provider.Capabilities, $"list{i}")));
        }

        var listed = await ListAllAsync(provider);

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(s => s.Details.ServiceId).Order(StringComparer.Ordinal));
    }

    /// <summary>A cancelled token stops the call and nothing is created.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CreateServiceAsync_Cancelled_ThrowsAndCreatesNothing()
    {
        var provider = await CreateProviderAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var serviceId = NewId();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.CreateServiceAsync(serviceId, CreateSampleSpec(provider.Capabilities, "cancel"), cts.Token));

        Assert.Null(await provider.GetServiceAsync(new ServiceReference(serviceId)));
    }

    /// <summary>A spec needing what the provider lacks is rejected, with paths, and nothing is created.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CreateServiceAsync_UnsupportedFeature_RejectedWithPathsAndNothingCreated()
    {
        var provider = await CreateProviderAsync();
        var (spec, path) = CreateUnsupportedSpec(provider.Capabilities);
        if (spec is null)
        {
            // Nothing in the model is beyond this provider: that is a claim worth checking.
            Assert.Equal(CdnCapabilities.Everything with { AsynchronousDeployment = provider.Capabilities.AsynchronousDeployment }, provider.Capabilities with
            {
                MaxDomains = CdnCapabilities.Everything.MaxDomains,
                MaxOrigins = CdnCapabilities.Everything.MaxOrigins,
                MaxRules = CdnCapabilities.Everything.MaxRules,
                MaxPurgeBatchSize = CdnCapabilities.Everything.MaxPurgeBatchSize,
                PurgeRateLimit = null,
            });
            return;
        }

        var serviceId = NewId();
        var ex = await Assert.ThrowsAsync<CdnValidationException>(() => provider.CreateServiceAsync(serviceId, spec));

        Assert.Contains(ex.Problems, p => p.Path.StartsWith(path!, StringComparison.Ordinal) && p.Provider == provider.Name);
        Assert.Null(await provider.GetServiceAsync(new ServiceReference(serviceId)));
    }

    /// <summary>A purge kind the provider lacks is rejected before any call.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task PurgeAsync_UnsupportedKind_RejectedBeforeAnyCall()
    {
        var provider = await CreateProviderAsync();
        var missing = new[] { (PurgeSupport.Prefix, PurgeRequest.ForPrefixes("/a/")), (PurgeSupport.Tag, PurgeRequest.ForTags("t")), (PurgeSupport.Host, PurgeRequest.ForHosts("www.example.com")), (PurgeSupport.Soft, PurgeRequest.ForUrls("/a").AsSoft()) }
            .Where(m => !provider.Capabilities.Purge.HasFlag(m.Item1)).Select(m => m.Item2).ToList();
        if (missing.Count == 0)
        {
            Assert.True(provider.Capabilities.Purge.HasFlag(PurgeSupport.Url | PurgeSupport.Prefix | PurgeSupport.Tag | PurgeSupport.Host | PurgeSupport.All | PurgeSupport.Soft));
            return;
        }

        foreach (var request in missing)
        {
            await Assert.ThrowsAsync<CdnValidationException>(() => provider.PurgeAsync(new ServiceReference(NewId(), "unknown-vendor-id"), request));
        }
    }

    /// <summary>An operation can be resumed from its id and completes the same way.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task ResumeOperationAsync_FromId_Completes()
    {
        var provider = await CreateProviderAsync();
        var serviceId = NewId();
        var op = await provider.CreateServiceAsync(serviceId, CreateSampleSpec(provider.Capabilities, "resume"));

        var resumed = await provider.ResumeOperationAsync(op.Id);
        await CompleteAsync(resumed);

        Assert.Null(resumed.Error);
        var typed = Assert.IsAssignableFrom<CdnOperation<ProviderServiceDetails>>(resumed);
        Assert.Equal(serviceId, typed.Value.ServiceId);
        await Assert.ThrowsAsync<ArgumentException>(() => provider.ResumeOperationAsync("not-an-operation-id"));
    }

    /// <summary>How many services fill one list page (the test creates two more). Default 10.</summary>
    protected virtual int ListPageSizeHint => 10;

    /// <summary>
    /// A spec needing something the capabilities lack, and the path of the offending field; (null, null)
    /// when the provider honours everything the model can express.
    /// </summary>
    /// <param name="capabilities">The provider's capabilities.</param>
    /// <returns>The spec and the path prefix expected in the problems.</returns>
    protected virtual (ServiceSpec? Spec, string? Path) CreateUnsupportedSpec(CdnCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var baseSpec = CreateSampleSpec(capabilities, "unsupported") with { Restrictions = [] };
        if (!capabilities.Restrictions.HasFlag(RestrictionSupport.GeographyWhitelist))
        {
            return (baseSpec with { Restrictions = [new Restriction("geo", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US"))] }, "/restrictions/0");
        }

        if (!capabilities.Restrictions.HasFlag(RestrictionSupport.ClientIpBlacklist))
        {
            return (baseSpec with { Restrictions = [new Restriction("ip", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.0/24"))] }, "/restrictions/0");
        }

        if (!capabilities.HostHeaders.HasFlag(HostHeaderSupport.Custom))
        {
            return (baseSpec with { Origins = [baseSpec.Origins[0] with { HostHeaderType = HostHeaderType.Custom, HostHeaderValue = "custom.example.com" }] }, "/origins/0/hostheadertype");
        }

        if (!capabilities.LogDelivery)
        {
            return (baseSpec with { LogDelivery = new LogDelivery { Enabled = true } }, "/log_delivery");
        }

        if (!capabilities.Certificates.HasFlag(CertificateSupport.Custom))
        {
            return (baseSpec with { Domains = [new DomainSpec(baseSpec.Domains[0].Domain, DomainProtocol.Https, CertificateKind.Custom)] }, "/domains/0/certificate");
        }

        if (!capabilities.PerPathCaching)
        {
            return (baseSpec with { Caching = [.. baseSpec.Caching!, new CachingRule("images", 60, new PathRule("images", "/images/*"))] }, "/caching/1");
        }

        return (null, null);
    }

    /// <summary>A new service id, unique per call.</summary>
    /// <returns>The id.</returns>
    protected static string NewId() => Guid.NewGuid().ToString("N");

    private static async Task<List<ProviderService>> ListAllAsync(ICdnProvider provider)
    {
        var list = new List<ProviderService>();
        await foreach (var s in provider.ListServicesAsync())
        {
            list.Add(s);
        }

        return list;
    }
}
