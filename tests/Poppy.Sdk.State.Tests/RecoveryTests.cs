using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Models;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.State.Tests;

/// <summary>
/// Recovery through a durable store, end to end: an instance (a DI container, as in an application) starts a create on
/// the emulated CloudFront, whose deployment takes ten minutes, and stops mid-deployment. Another instance sharing the
/// store takes the operation over once its lease lapses and finishes it: one distribution at the emulator, the catalog
/// deployed, the journal succeeded and owned by the instance that finished it. Two recovering instances race for it;
/// exactly one wins.
/// </summary>
public abstract class RecoveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(45);
    private readonly List<ServiceProvider> _instances = [];
    private CdnEmulator? _emulator;

    private TimerAwareTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    private CdnEmulator Emulator => _emulator!;

    /// <summary>Points an instance at the shared store (catalog and journal).</summary>
    protected abstract Task<Action<IPoppyBuilder>> SharedStoreAsync();

    public async Task InitializeAsync() =>
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = Time, DeployDelay = TimeSpan.FromMinutes(10) });

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        await CleanUpAsync();
    }

    /// <summary>Removes what the store left behind (after every instance stopped).</summary>
    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    private ServiceProvider Instance(string id, Action<IPoppyBuilder> store)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddPoppy(o =>
        {
            o.AddFlavor("global", FlavorMode.Mirror, "cloudfront");
            o.Journal.InstanceId = id;
            o.Journal.LeaseDuration = Lease;
            o.Journal.RecoveryInterval = TimeSpan.FromSeconds(20);
        });
        builder.AddCloudFront("cloudfront", o =>
        {
            o.AccessKeyId = Emulator.CloudFront.AccessKeyId;
            o.SecretAccessKey = Emulator.CloudFront.SecretAccessKey;
            o.BaseAddress = Emulator.BaseAddress;
            o.AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/recovery";
            o.PollingInterval = Poll;
        });
        store(builder);
        var provider = services.BuildServiceProvider();
        _instances.Add(provider);
        return provider;
    }

    private static OperationRecoveryService Recovery(IServiceProvider instance) =>
        instance.GetServices<IHostedService>().OfType<OperationRecoveryService>().Single();

    [Fact]
    public async Task Create_InstanceStoppedMidDeployment_IsFinishedOnceByAnotherInstance()
    {
        var store = await SharedStoreAsync();
        var first = Instance("instance-1", store);
        var operation = await first.GetRequiredService<PoppyClient>().CreateServiceAsync(new ServiceSpec
        {
            Name = "www",
            FlavorId = "global",
            Domains = [new DomainSpec("www.example.com")],
            Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("default", "/*")] }],
        }, "svc-recovered");
        await operation.UpdateStatusAsync();
        Assert.False(operation.HasCompleted);
        Assert.Equal("InProgress", Assert.Single(Emulator.CloudFront.Distributions).Status);
        await first.DisposeAsync(); // the host stops mid-deployment
        _instances.Remove(first);

        var second = Instance("instance-2", store);
        var third = Instance("instance-3", store);
        Time.Advance(Lease);
        var taken = await Task.WhenAll(Recovery(second).RunOnceAsync(), Recovery(third).RunOnceAsync());

        var resumed = Assert.Single(taken.SelectMany(t => t));
        Assert.Equal(operation.Id, resumed.Id);
        var winner = taken[0].Count == 1 ? second : third;
        var journal = winner.GetRequiredService<PoppyClient>();

        // The recovery service polls the deployment every 45 s (the HTTP timeouts of a poll in flight are due sooner).
        for (var i = 0; i < 40 && await Time.AdvanceWhenWaitedOnExactlyAsync(Poll, () => resumed.HasCompleted); i++)
        {
        }

        var entry = await journal.GetOperationAsync(operation.Id);
        Assert.Equal((OperationJournalState.Succeeded, journal.InstanceId, 1), (entry!.State, entry.Owner, entry.Claims));
        var distribution = Assert.Single(Emulator.CloudFront.Distributions);
        Assert.Equal("Deployed", distribution.Status);
        var service = await second.GetRequiredService<PoppyClient>().GetServiceAsync("svc-recovered");
        var record = Assert.Single(service!.Providers);
        Assert.Equal((ProviderStatus.Deployed, distribution.Id, (string?)null), (record.Status, record.VendorServiceId, record.OperationId));
        Assert.Empty(await Recovery(second).RunOnceAsync());
        Assert.Empty(await Recovery(third).RunOnceAsync());
    }
}

/// <summary>Recovery on PostgreSQL: the instances share one database.</summary>
[Collection(PostgreSqlGroup.Name)]
public sealed class PostgreSqlRecoveryTests(PostgreSqlFixture fixture) : RecoveryTests
{
    protected override async Task<Action<IPoppyBuilder>> SharedStoreAsync()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        return builder => builder.UsePostgreSqlCatalog(connectionString);
    }
}

/// <summary>Recovery on SQLite: the instances share one file (the second and third are the same machine after a restart).</summary>
public sealed class SqliteRecoveryTests : RecoveryTests
{
    private readonly TempFolder _folder = TempFolder.Create();

    protected override Task<Action<IPoppyBuilder>> SharedStoreAsync()
    {
        var file = Path.Combine(_folder.Path, "poppy.db");
        return Task.FromResult<Action<IPoppyBuilder>>(builder => builder.UseSqliteCatalog($"Data Source={file}"));
    }

    protected override ValueTask CleanUpAsync() => _folder.DisposeAsync();
}
