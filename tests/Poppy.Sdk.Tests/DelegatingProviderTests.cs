using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Poppy.Sdk.Models;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Tests;

/// <summary>The snippet of docs/composite.md ("Your own middleware"), compiled; and what users can stack.</summary>
public sealed partial class AuditingCdnProvider(ICdnProvider inner, ILogger<AuditingCdnProvider> audit) : DelegatingCdnProvider(inner)
{
    public override async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        Changing(audit, "create", serviceId, Name);
        return await base.CreateServiceAsync(serviceId, spec, cancellationToken);
    }

    public override async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        Changing(audit, "delete", service.ServiceId, Name);
        return await base.DeleteServiceAsync(service, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "{Change} {ServiceId} on {Provider}")]
    private static partial void Changing(ILogger logger, string change, string serviceId, string provider);
}

public sealed class DelegatingProviderTests
{
    [Fact]
    public async Task AuditingProvider_StackedUnderTheComposite_SeesEveryChange()
    {
        using var f = new Fixture();
        var collector = new FakeLogCollector();
        var audit = new FakeLogger<AuditingCdnProvider>(collector);
        using var client = new PoppyClient([new AuditingCdnProvider(f.A, audit), f.B, f.C], f.Options, timeProvider: f.Time);

        await f.CompleteAsync(await client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        await f.CompleteAsync(await client.DeleteServiceAsync("svc-1"));

        Assert.Equal(["create svc-1 on a", "delete svc-1 on a"], collector.GetSnapshot().Select(r => r.Message));
        Assert.Empty(f.A.Services);
    }

    [Fact]
    public async Task DelegatingOperation_WrapsPolls_AndGetInnerProviderFindsTheVendor()
    {
        using var f = new Fixture();
        var counting = new CountingProvider(f.A);
        var op = await counting.CreateServiceAsync("svc-1", TestSpecs.Basic() with { FlavorId = "mirror" });

        await f.CompleteAsync(op);

        Assert.True(counting.Polls >= 1);
        Assert.Same(f.A, counting.GetInnerProvider<InMemoryCdnProvider>());
        Assert.Null(counting.GetInnerProvider<CountingProvider>());
    }

    private sealed class CountingProvider(ICdnProvider inner) : DelegatingCdnProvider(inner), ICdnOperationWrapper
    {
        public int Polls { get; private set; }

        public override async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default) =>
            Wrap(await base.CreateServiceAsync(serviceId, spec, cancellationToken));

        public CdnOperation<T> Wrap<T>(CdnOperation<T> operation) => new CountingOperation<T>(operation, this);

        private sealed class CountingOperation<T>(CdnOperation<T> inner, CountingProvider owner) : DelegatingCdnOperation<T>(inner)
        {
            protected override ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken)
            {
                owner.Polls++;
                return base.PollAsync(cancellationToken);
            }
        }
    }
}
