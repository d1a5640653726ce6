using BenchmarkDotNet.Attributes;
using Poppy.Sdk.Redis;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// One token taken from a rate budget: through Redis on loopback (a throwaway <c>redis-server</c>, the script run with
/// EVALSHA after the first call) and, for comparison, from the in-process bucket. The budget is large enough never to
/// refuse, so every call does the whole script (refill, take, write back, expiry).
/// </summary>
[MemoryDiagnoser]
public class RedisBudgetBenchmarks
{
    private static readonly RateBudget Budget = new("fastly:purge", capacity: 1_000_000_000, tokensPerPeriod: 1_000_000_000, TimeSpan.FromSeconds(1));
    private RedisServer? _server;
    private RedisRateBudgetStore? _redis;
    private LocalRateBudgetStore? _local;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await RedisServer.StartAsync();
        _redis = new RedisRateBudgetStore(new RedisRateBudgetOptions { Configuration = _server.Configuration });
        _local = new LocalRateBudgetStore();
        await _redis.TryAcquireAsync(Budget); // connect, load the script
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _local?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Benchmark(Description = "take a token through Redis (loopback)")]
    public async Task<bool> RedisAcquire() => (await _redis!.TryAcquireAsync(Budget)).Acquired;

    [Benchmark(Baseline = true, Description = "take a token in process")]
    public bool LocalAcquire() => _local!.TryAcquire(Budget).Acquired;
}
