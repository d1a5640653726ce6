using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Poppy.Sdk.Models;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// Moving a catalog of <see cref="Services"/> services between SQLite files with <see cref="CatalogTransfer"/>: the export
/// of one file to a JSON document on disk, the import of that document into a new file, and (to separate the reading
/// and validation from SQLite's per-save cost) the import into an in-memory catalog. One operation is a whole catalog:
/// run it as a monitoring job with a few iterations (the command is in docs/performance.md).
/// </summary>
[MemoryDiagnoser]
public class CatalogTransferBenchmarks
{
    private string _folder = null!;
    private SqliteServiceCatalog _source = null!;
    private string _document = null!;
    private string _target = null!;
    private int _iteration;

    /// <summary>How many services the source file holds.</summary>
    [Params(10_000)]
    public int Services { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("poppy-transfer-bench-").FullName;
        var connectionString = $"Data Source={Path.Combine(_folder, "source.db")}";
        _source = new SqliteServiceCatalog(connectionString);
        await _source.SaveAsync(Template("seed"));
        // N copies of the row the store wrote for the template, in one statement (N separate saves would each wait for the disk).
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var seed = connection.CreateCommand();
            seed.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $count - 1)
                INSERT INTO poppy_services (service_id, version, spec, providers, pending_cleanup, updated_at)
                    SELECT printf('svc-%06d', i), 1, s.spec, replace(s.providers, '"seed"', printf('"svc-%06d"', i)), s.pending_cleanup, s.updated_at
                    FROM n, poppy_services AS s WHERE s.service_id = 'seed';
                DELETE FROM poppy_services WHERE service_id = 'seed';
                """;
            seed.Parameters.AddWithValue("$count", Services);
            seed.ExecuteNonQuery();
        }

        _document = Path.Combine(_folder, "catalog.json");
        await using var file = File.Create(_document);
        await CatalogTransfer.ExportAsync(_source, file);
    }

    [IterationSetup(Target = nameof(ImportIntoSqlite))]
    public void NewTarget() => _target = Path.Combine(_folder, $"target-{_iteration++}.db");

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "export: SQLite file → JSON file")]
    public async Task<CatalogExportReport> Export()
    {
        await using var file = File.Create(Path.Combine(_folder, "export.json"));
        return await CatalogTransfer.ExportAsync(_source, file);
    }

    [Benchmark(Description = "import: JSON file → new SQLite file")]
    public async Task<CatalogImportReport> ImportIntoSqlite()
    {
        await using var file = File.OpenRead(_document);
        return Checked(await CatalogTransfer.ImportAsync(new SqliteServiceCatalog($"Data Source={_target}"), file));
    }

    [Benchmark(Description = "import: JSON file → in-memory catalog (reading and validation only)")]
    public async Task<CatalogImportReport> ImportIntoMemory()
    {
        await using var file = File.OpenRead(_document);
        return Checked(await CatalogTransfer.ImportAsync(new InMemoryServiceCatalog(), file));
    }

    private CatalogImportReport Checked(CatalogImportReport report) =>
        report.Imported == Services ? report : throw new InvalidOperationException($"Imported {report}, expected {Services} services.");

    private static CdnService Template(string id) => new()
    {
        ServiceId = id,
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
                ServiceId = id,
                VendorServiceId = "SU1Z0isxPaozGVKXdv0eY",
                Status = ProviderStatus.Deployed,
                AccessUrls = [new AccessUrl("www.bench.example", "www.bench.example.global.prod.fastly.net")],
            },
        ],
    };
}
