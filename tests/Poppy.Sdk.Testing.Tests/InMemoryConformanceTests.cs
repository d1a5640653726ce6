using Microsoft.Extensions.Time.Testing;

namespace Poppy.Sdk.Testing.Tests;

/// <summary>Fault injection through the in-memory provider's own faults.</summary>
#region conformance-readme-derive
public abstract class InMemoryConformanceBase : CdnProviderConformanceTests
{
    protected override Task InjectTransientFailureAsync(ICdnProvider provider)
    {
        ((InMemoryCdnProvider)provider).Faults.FailNext(1, transient: true, status: 503);
        return Task.CompletedTask;
    }

    protected override Task InjectRateLimitAsync(ICdnProvider provider, TimeSpan retryAfter)
    {
        ((InMemoryCdnProvider)provider).Faults.RateLimitNext(1, retryAfter);
        return Task.CompletedTask;
    }

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        ((InMemoryCdnProvider)provider).Faults.FailNextAuth();
        return Task.CompletedTask;
    }
}

/// <summary>The conformance kit against the in-memory provider, on a fake clock.</summary>
public sealed class InMemoryConformanceTests : InMemoryConformanceBase
{
    private readonly FakeTimeProvider _time = new();

    protected override Task<ICdnProvider> CreateProviderAsync() =>
        Task.FromResult<ICdnProvider>(new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "memory", TimeProvider = _time, DeploymentDelay = TimeSpan.FromSeconds(20) }));

    protected override async Task CompleteAsync(CdnOperation operation)
    {
        for (var i = 0; i < 1000 && !await operation.UpdateStatusAsync(); i++)
        {
            _time.Advance(operation.SuggestedPollingDelay ?? TimeSpan.FromSeconds(1));
        }

        Assert.True(operation.HasCompleted);
    }
}
#endregion

/// <summary>The kit against a provider with restricted capabilities: the rejection paths are exercised.</summary>
public sealed class RestrictedInMemoryConformanceTests : InMemoryConformanceBase
{
    private static readonly CdnCapabilities Restricted = new()
    {
        Restrictions = RestrictionSupport.ReferrerBlacklist | RestrictionSupport.ReferrerWhitelist,
        PerPathCaching = true,
        MultipleOrigins = true,
        HostHeaders = HostHeaderSupport.Domain | HostHeaderSupport.Origin,
        Purge = PurgeSupport.Url | PurgeSupport.All,
        MaxPurgeBatchSize = 50,
    };

    protected override Task<ICdnProvider> CreateProviderAsync() =>
        Task.FromResult<ICdnProvider>(new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "restricted", Capabilities = Restricted, DeploymentDelay = TimeSpan.Zero, PageSize = 3 }));

    protected override int ListPageSizeHint => 3;
}
