using System.Globalization;
using BenchmarkDotNet.Attributes;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// The operation journal on PostgreSQL (issue 13): what journaling adds to an operation — a start and a completion,
/// two statements — for a new operation id (an insert, as a purge journals) and for a new run of an id already there
/// (the upsert a second update of a service takes); and the recovery service's idle poll, a claim that finds nothing
/// due. A throwaway server on loopback (fsync off, as in <see cref="CatalogStoreBenchmarks"/>) with 10,000 completed
/// entries and 100 running ones in the table.
/// </summary>
[MemoryDiagnoser]
public class JournalStoreBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private PostgreSqlServer? _server;
    private PostgreSqlOperationJournal _journal = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await PostgreSqlServer.StartAsync();
        try
        {
            await SeedAsync(await _server.CreateDatabaseAsync());
        }
        catch
        {
            // BenchmarkDotNet skips GlobalCleanup when GlobalSetup throws: stop the server here, or it outlives the run.
            await _server.DisposeAsync();
            _server = null;
            throw;
        }
    }

    private async Task SeedAsync(string connectionString)
    {
        _journal = new PostgreSqlOperationJournal(connectionString);
        await _journal.StartAsync(Entry("poppy:update:svc-hot", "run-0")); // migrate, warm the pool
        await PostgreSqlServer.ExecuteOnAsync(connectionString, """
            INSERT INTO poppy_operations (operation_id, run_id, service_id, kind, state, owner, lease_expires_at, started_at, updated_at, completed_at, claims)
                SELECT 'poppy:create:old-' || i, 'r', 'old-' || i, 'create', CASE WHEN i <= 100 THEN 'running' ELSE 'succeeded' END, 'other',
                       timestamptz '2030-01-01', timestamptz '2026-12-01' + i * interval '1 second', timestamptz '2026-12-01',
                       CASE WHEN i <= 100 THEN NULL ELSE timestamptz '2026-12-02' END, 0
                FROM generate_series(1, 10100) AS i;
            """);
        await PostgreSqlServer.ExecuteOnAsync(connectionString, "VACUUM ANALYZE poppy_operations"); // alone: VACUUM refuses to run in a batch
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _journal.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Benchmark(Description = "start + complete, new operation id")]
    public async Task<bool> StartCompleteNew()
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"poppy:purge:svc-1:{Interlocked.Increment(ref _next)}");
        await _journal.StartAsync(Entry(id, "r"));
        return await _journal.CompleteAsync(id, "r", OperationJournalState.Succeeded, null, T0.AddSeconds(1));
    }

    [Benchmark(Description = "start + complete, new run of an existing id")]
    public async Task<bool> StartCompleteReplace()
    {
        var run = string.Create(CultureInfo.InvariantCulture, $"run-{Interlocked.Increment(ref _next)}");
        await _journal.StartAsync(Entry("poppy:update:svc-hot", run));
        return await _journal.CompleteAsync("poppy:update:svc-hot", run, OperationJournalState.Succeeded, null, T0.AddSeconds(1));
    }

    [Benchmark(Description = "claim expired, none due")]
    public async Task<int> ClaimNoneDue() => (await _journal.ClaimExpiredAsync("me", T0, T0.AddMinutes(2), 8)).Count;

    private static OperationJournalEntry Entry(string id, string run) => new()
    {
        OperationId = id,
        RunId = run,
        ServiceId = "svc-1",
        Kind = id.StartsWith("poppy:purge:", StringComparison.Ordinal) ? OperationKind.Purge : OperationKind.Update,
        Owner = "bench:1:abcd",
        StartedAt = T0,
        UpdatedAt = T0,
        LeaseExpiresAt = T0.AddMinutes(2),
        Data = id.StartsWith("poppy:purge:", StringComparison.Ordinal) ? """{"kind":"url","items":["/a"]}""" : null,
    };
}
