using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Poppy.Sdk.Redis;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Benchmarks;

/// <summary>
/// The latency distribution of taking one token through Redis on loopback (issue 13's target: at most 1 ms at p99).
/// BenchmarkDotNet reports means and deviations, not percentiles of single calls, so this mode times each of N
/// sequential acquires with <see cref="Stopwatch"/> after a warm-up and prints p50/p90/p99/p99.9/max:
/// <c>dotnet run -c Release --project bench/Poppy.Sdk.Benchmarks -- --p99 [--n 100000] [--callers 1]</c>.
/// With <c>--callers K</c>, K tasks acquire concurrently (N calls in all), as K instances' requests would.
/// </summary>
internal static class RedisAcquireLatency
{
    private static readonly RateBudget Budget = new("fastly:write", capacity: 1_000_000_000, tokensPerPeriod: 1_000_000_000, TimeSpan.FromSeconds(1));

    public static async Task<int> RunAsync(string[] args)
    {
        var n = IntArg(args, "--n", 100_000);
        var callers = IntArg(args, "--callers", 1);
        await using var server = await RedisServer.StartAsync();
        await using var store = new RedisRateBudgetStore(new RedisRateBudgetOptions { Configuration = server.Configuration });

        for (var i = 0; i < 10_000; i++)
        {
            await store.TryAcquireAsync(Budget); // connect, load the script, warm the JIT and the connection
        }

        var samples = new long[n];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
            {
                var started = Stopwatch.GetTimestamp();
                var decision = await store.TryAcquireAsync(Budget);
                samples[i] = Stopwatch.GetTimestamp() - started;
                if (!decision.Acquired)
                {
                    throw new InvalidOperationException("The budget refused a token; it is sized never to.");
                }
            }
        })));
        total.Stop();

        Array.Sort(samples);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double At(double q) => Ms(samples[Math.Min(n - 1, (int)Math.Ceiling(q * n) - 1)]);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Redis token acquire on loopback: {n:N0} calls, {callers} caller(s), {total.Elapsed.TotalSeconds:F1} s ({n / total.Elapsed.TotalSeconds:N0} calls/s)"));
        Console.WriteLine(string.Create(c, $"  machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}"));
        Console.WriteLine(string.Create(c, $"  mean {samples.Average(Ms):F3} ms  p50 {At(0.50):F3} ms  p90 {At(0.90):F3} ms  p99 {At(0.99):F3} ms  p99.9 {At(0.999):F3} ms  max {Ms(samples[^1]):F3} ms"));
        return 0;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}
