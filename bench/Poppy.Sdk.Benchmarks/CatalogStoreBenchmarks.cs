using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Npgsql;
using Poppy.Sdk.Models;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Sqlite;
using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// The durable catalogs (issue 13): get, save (an update with the version read), one list page and a full list, and
/// the look-up by vendor id, on SQLite (a file in WAL mode, default synchronous=FULL) and PostgreSQL (a throwaway
/// server on loopback started by the same fixture as the tests; fsync off, so the figures are the store's own
/// cost, not the disk's) holding <see cref="Services"/> services.
/// </summary>
[MemoryDiagnoser]
public class CatalogStoreBenchmarks
{
    private const string Template = "template";
    private IServiceCatalog _catalog = null!;
    private SqliteServiceCatalog? _sqlite;
    private PostgreSqlServiceCatalog? _postgres;
    private PostgreSqlServer? _server;
    private string? _folder;
    private CdnService _hot = null!;
    private int _next;

    /// <summary>The store.</summary>
    [Params("sqlite", "postgresql")]
    public string Store { get; set; } = "sqlite";

    /// <summary>How many services the store holds: 10,000, or the comma-separated counts in <c>POPPY_BENCH_SERVICES</c> (for example <c>10000,100000</c>).</summary>
    [ParamsSource(nameof(ServiceCounts))]
    public int Services { get; set; }

    /// <summary>The values of <see cref="Services"/>.</summary>
    public static IEnumerable<int> ServiceCounts =>
        Environment.GetEnvironmentVariable("POPPY_BENCH_SERVICES") is { Length: > 0 } counts
            ? counts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            : [10_000];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var template = new CdnService
        {
            ServiceId = Template,
            Spec = new ServiceSpec
            {
                Name = "benchmark",
                FlavorId = "bench",
                Domains = [new DomainSpec("www.bench.example")],
                Origins = [new OriginSpec("origin.bench.example") { Rules = [new PathRule("default", "/*")] }],
                Caching = [new CachingRule("default", 3600, new PathRule("default", "/*"))],
            },
            Providers =
            [
                new ProviderServiceDetails
                {
                    Provider = "fastly",
                    ServiceId = Template,
                    VendorServiceId = "FASTLY-template",
                    Status = ProviderStatus.Deployed,
                    AccessUrls = [new AccessUrl("www.bench.example", "www.bench.example.global.prod.fastly.net")],
                },
            ],
        };

        if (Store == "sqlite")
        {
            _folder = Directory.CreateTempSubdirectory("poppy-bench-").FullName;
            var connectionString = $"Data Source={Path.Combine(_folder, "poppy.db")}";
            _catalog = _sqlite = new SqliteServiceCatalog(connectionString);
            await _catalog.SaveAsync(template);
            // Copies of the template row: the same documents the store writes, without N separate commits.
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var seed = connection.CreateCommand();
            seed.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $count - 1)
                INSERT INTO poppy_services (service_id, version, spec, providers, pending_cleanup, updated_at)
                    SELECT printf('svc-%07d', i), 1, t.spec, replace(replace(t.providers, 'FASTLY-template', printf('FASTLY-%07d', i)), 'template', printf('svc-%07d', i)), t.pending_cleanup, t.updated_at
                    FROM n, poppy_services AS t WHERE t.service_id = 'template';
                INSERT INTO poppy_provider_resources (service_id, provider, vendor_service_id)
                    SELECT service_id, 'fastly', replace(service_id, 'svc-', 'FASTLY-') FROM poppy_services WHERE service_id <> 'template';
                """;
            seed.Parameters.AddWithValue("$count", Services);
            seed.ExecuteNonQuery();
        }
        else
        {
            _server = await PostgreSqlServer.StartAsync();
            var connectionString = await _server.CreateDatabaseAsync();
            _catalog = _postgres = new PostgreSqlServiceCatalog(connectionString);
            await _catalog.SaveAsync(template);
            await PostgreSqlServer.ExecuteOnAsync(connectionString, string.Create(CultureInfo.InvariantCulture, $"""
                INSERT INTO poppy_services (service_id, version, spec, providers, pending_cleanup, updated_at)
                    SELECT 'svc-' || lpad(i::text, 7, '0'), 1, t.spec,
                           replace(replace(t.providers::text, 'FASTLY-template', 'FASTLY-' || lpad(i::text, 7, '0')), 'template', 'svc-' || lpad(i::text, 7, '0'))::jsonb,
                           t.pending_cleanup, t.updated_at
                    FROM generate_series(0, {Services - 1}) AS i, poppy_services AS t WHERE t.service_id = 'template';
                """));
            // The steady state autovacuum reaches: statistics, and the GIN index's pending list merged (right after a bulk
            // insert, a look-up by vendor id scans that list: 3.1 ms instead of 0.09 ms at 100,000 services).
            await PostgreSqlServer.ExecuteOnAsync(connectionString, "VACUUM ANALYZE poppy_services");
        }

        _hot = (await _catalog.GetAsync("svc-0000000"))!;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
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

    [Benchmark(Description = "get one service")]
    public ValueTask<CdnService?> Get() => _catalog.GetAsync(NextId());

    [Benchmark(Description = "save (update with the version read)")]
    public async Task Save() => _hot = await _catalog.SaveAsync(_hot);

    [Benchmark(Description = "list one page of 100")]
    public Task<IReadOnlyList<CdnService>> ListPage() => _sqlite is not null ? _sqlite.ListPageAsync(NextId(), 100) : _postgres!.ListPageAsync(NextId(), 100);

    [Benchmark(Description = "list all (pages of 500)")]
    public async Task<int> ListAll()
    {
        var count = 0;
        await foreach (var _ in _catalog.ListAsync())
        {
            count++;
        }

        return count;
    }

    [Benchmark(Description = "find by vendor id")]
    public Task<CdnService?> FindByVendorId()
    {
        var vendorId = "FASTLY-" + NextId()[4..];
        return _sqlite is not null ? _sqlite.FindByVendorServiceIdAsync("fastly", vendorId) : _postgres!.FindByVendorServiceIdAsync("fastly", vendorId);
    }

    private string NextId() => string.Create(CultureInfo.InvariantCulture, $"svc-{(_next = (_next + 7919) % Services):D7}");
}
