using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Poppy.Sdk.Models;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Sqlite;
using Poppy.Sdk.Testing;
using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// Issue 13: what the operation journal adds to a create (target: at most 2 ms on loopback). A whole create through the
/// composite client — validation, catalog writes, the provider's create, one poll to completion — on a durable store,
/// with and without the journal (its start and its outcome). The provider is the in-memory one with no deployment
/// delay, so the difference is the journal's two writes.
/// </summary>
[MemoryDiagnoser]
public class JournalOverheadBenchmarks
{
    private readonly ServiceSpec _spec = new()
    {
        Name = "benchmark",
        FlavorId = "bench",
        Domains = [new DomainSpec("www.bench.example")],
        Origins = [new OriginSpec("origin.bench.example") { Rules = [new PathRule("default", "/*")] }],
    };

    private PoppyClient _client = null!;
    private PostgreSqlServer? _server;
    private IAsyncDisposable? _ownedCatalog;
    private IAsyncDisposable? _ownedJournal;
    private string? _folder;
    private int _next;

    /// <summary>The store holding the catalog (and the journal).</summary>
    [Params("sqlite", "postgresql")]
    public string Store { get; set; } = "sqlite";

    /// <summary>Whether operations are journaled.</summary>
    [Params(false, true)]
    public bool Journal { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        IServiceCatalog catalog;
        IOperationJournal? journal = null;
        if (Store == "sqlite")
        {
            _folder = Directory.CreateTempSubdirectory("poppy-bench-").FullName;
            var options = new SqliteServiceCatalogOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "poppy.db")}" };
            catalog = new SqliteServiceCatalog(options);
            journal = Journal ? new SqliteOperationJournal(options) : null;
        }
        else
        {
            _server = await PostgreSqlServer.StartAsync();
            var connectionString = await _server.CreateDatabaseAsync();
            var postgres = new PostgreSqlServiceCatalog(connectionString);
            _ownedCatalog = postgres;
            catalog = postgres;
            if (Journal)
            {
                var postgresJournal = new PostgreSqlOperationJournal(connectionString);
                _ownedJournal = postgresJournal;
                journal = postgresJournal;
            }
        }

        var provider = new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "memory", DeploymentDelay = TimeSpan.Zero });
        _client = new PoppyClient([provider], new PoppyClientOptions().AddFlavor("bench", FlavorMode.Mirror, "memory"), catalog, journal: journal);
        await CreateAsync(); // schema created, connections warm
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        if (_ownedJournal is not null)
        {
            await _ownedJournal.DisposeAsync();
        }

        if (_ownedCatalog is not null)
        {
            await _ownedCatalog.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark(Description = "create, then wait")]
    public async Task<CdnService> CreateAsync()
    {
        var operation = await _client.CreateServiceAsync(_spec, "svc-" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await operation.WaitForCompletionAsync();
    }
}
