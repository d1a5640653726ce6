using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Testing.Tests;

public sealed class InMemoryCdnProviderTests
{
    private readonly FakeTimeProvider _time = new();

    private static ServiceSpec Spec(string domain = "www.example.com") => new()
    {
        Name = "svc",
        FlavorId = "f",
        Domains = [new DomainSpec(domain, DomainProtocol.Https, CertificateKind.San)],
        Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("default", "/*")] }],
        Caching = [new CachingRule("default", 60, new PathRule("default", "/*"))],
    };

    private InMemoryCdnProvider Provider(TimeSpan? delay = null, CdnCapabilities? caps = null, int pageSize = 10) => new(new InMemoryCdnProviderOptions
    {
        Name = "mem",
        TimeProvider = _time,
        DeploymentDelay = delay ?? TimeSpan.FromSeconds(30),
        Capabilities = caps ?? CdnCapabilities.Everything with { AsynchronousDeployment = true },
        PageSize = pageSize,
    });

    [Fact]
    public async Task CreateServiceAsync_BeforeDelay_InProgressAndAfterDelay_Deployed()
    {
        var p = Provider();
        var op = await p.CreateServiceAsync("s1", Spec());

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(await op.UpdateStatusAsync());
        Assert.Equal(TimeSpan.FromSeconds(1), op.SuggestedPollingDelay);
        Assert.Equal(ProviderStatus.CreateInProgress, p.Services.Single().Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await op.UpdateStatusAsync());
        Assert.Equal(ProviderStatus.Deployed, op.Value.Status);
        Assert.Equal(CertificateStatus.Deployed, op.Value.CertificateStatuses["www.example.com"]);
        Assert.Equal("www-example-com.cdn.memory.test", op.Value.AccessUrls.Single().ProviderUrl);
    }

    [Fact]
    public async Task FailNext_ForOneOperation_OnlyThatOperationFails()
    {
        var p = Provider(TimeSpan.Zero);
        p.Faults.FailNext(1, transient: false, status: 409, operation: "purge");

        await p.CreateServiceAsync("s1", Spec());
        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => p.PurgeAsync(new ServiceReference("s1"), PurgeRequest.ForUrls("/a")));
        var ok = await p.PurgeAsync(new ServiceReference("s1"), PurgeRequest.ForUrls("/a"));

        Assert.Equal(409, ex.Status);
        Assert.Equal(CdnErrorCode.Conflict, ex.ErrorCode);
        Assert.False(ex.IsTransient);
        Assert.Equal("mem", ok.Provider);
        Assert.Single(p.Purges);
    }

    [Fact]
    public async Task SetUnavailable_EveryCallFailsUntilReset()
    {
        var p = Provider(TimeSpan.Zero);
        p.Faults.SetUnavailable(true);

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => p.CreateServiceAsync("s1", Spec()));
        await Assert.ThrowsAsync<CdnRequestFailedException>(() => p.GetServiceAsync(new ServiceReference("s1")));
        p.Faults.SetUnavailable(false);

        Assert.True(ex.IsTransient);
        Assert.Equal(503, ex.Status);
        Assert.Empty(p.Services);
        await p.CreateServiceAsync("s1", Spec());
        Assert.Single(p.Services);
    }

    [Fact]
    public async Task HalfCreateNext_StoresThenThrowsTransient()
    {
        var p = Provider();
        p.Faults.HalfCreateNext();

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => p.CreateServiceAsync("s1", Spec()));

        Assert.True(ex.IsTransient);
        Assert.Equal("s1", Assert.Single(p.Services).ServiceId);
        Assert.NotNull(await p.GetServiceAsync(new ServiceReference("s1")));
    }

    [Fact]
    public async Task FailDeploymentNext_OperationEndsFailedWhenPolled()
    {
        var p = Provider(TimeSpan.FromSeconds(10));
        p.Faults.FailDeploymentNext();
        var op = await p.CreateServiceAsync("s1", Spec());

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await op.UpdateStatusAsync());

        var error = Assert.IsType<CdnRequestFailedException>(op.Error);
        Assert.True(error.IsTransient);
        Assert.Throws<CdnRequestFailedException>(() => op.Value);
        Assert.Equal(ProviderStatus.Failed, p.Services.Single().Status);
    }

    [Fact]
    public async Task RateLimitNext_ThrowsRateLimitedWithRetryAfter()
    {
        var p = Provider();
        p.Faults.RateLimitNext(1, TimeSpan.FromSeconds(9));

        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => p.GetServiceAsync(new ServiceReference("x")));

        Assert.Equal(TimeSpan.FromSeconds(9), ex.RetryAfter);
        Assert.Equal(CdnErrorCode.RateLimited, ex.ErrorCode);
    }

    [Fact]
    public async Task CreateServiceAsync_UnsupportedCapability_RejectedAndNotRecordedAsCall()
    {
        var p = Provider(caps: new CdnCapabilities { HostHeaders = HostHeaderSupport.Domain, Restrictions = RestrictionSupport.None });
        var spec = Spec() with { Restrictions = [new Restriction("r", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("10.0.0.0/8"))] };

        var ex = await Assert.ThrowsAsync<CdnValidationException>(() => p.CreateServiceAsync("s1", spec));

        Assert.Contains(ex.Problems, x => x.Path == "/restrictions/0/rules/0" && x.Provider == "mem");
        Assert.Contains(ex.Problems, x => x.Path == "/domains/0/certificate");
        Assert.Empty(p.Calls);
        Assert.Empty(p.Services);
    }

    [Fact]
    public async Task PurgeAsync_MoreThanBatchSize_Rejected()
    {
        var p = Provider(TimeSpan.Zero, CdnCapabilities.Everything with { MaxPurgeBatchSize = 2 });
        await p.CreateServiceAsync("s1", Spec());

        var ex = await Assert.ThrowsAsync<CdnValidationException>(() => p.PurgeAsync(new ServiceReference("s1"), PurgeRequest.ForUrls("/a", "/b", "/c")));

        Assert.Equal("/items", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public async Task ListServicesAsync_PagesLazily()
    {
        var p = Provider(TimeSpan.Zero, pageSize: 2);
        for (var i = 0; i < 5; i++)
        {
            await p.CreateServiceAsync($"s{i}", Spec($"www{i}.example.com"));
        }

        var first = new List<string>();
        await foreach (var s in p.ListServicesAsync())
        {
            first.Add(s.Details.ServiceId);
            if (first.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(1, p.ListPagesServed);
        var all = await p.ListServicesAsync().Select(s => s.Details.ServiceId).ToListAsync();
        Assert.Equal(["s0", "s1", "s2", "s3", "s4"], all);
        Assert.Equal(1 + 3, p.ListPagesServed);
    }

    [Fact]
    public async Task UpdateServiceAsync_SupersededOperation_CompletesWithLatest()
    {
        var p = Provider(TimeSpan.FromSeconds(10));
        var create = await p.CreateServiceAsync("s1", Spec());
        await p.UpdateServiceAsync(new ServiceReference("s1"), Spec() with { Name = "renamed" });

        Assert.True(await create.UpdateStatusAsync());
        Assert.Equal("s1", create.Value.ServiceId);
    }

    [Fact]
    public async Task DeleteServiceAsync_Missing_CompletesAtOnce()
    {
        var p = Provider();

        var op = await p.DeleteServiceAsync(new ServiceReference("nope"));

        Assert.True(op.HasCompleted);
        Assert.Null(op.Error);
    }

    [Fact]
    public async Task CreateServiceAsync_ParallelDistinctIds_AllStored()
    {
        var p = Provider(TimeSpan.Zero);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => p.CreateServiceAsync($"s{i}", Spec()))));

        Assert.Equal(50, p.Services.Count);
        Assert.Equal(50, p.Services.Select(s => s.VendorServiceId).Distinct().Count());
    }
}
