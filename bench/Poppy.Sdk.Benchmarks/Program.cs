using BenchmarkDotNet.Running;
using Poppy.Sdk.Benchmarks;

// dotnet run -c Release --project bench/Poppy.Sdk.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Poppy.Sdk.Benchmarks -- --p99 [--n 100000] [--callers 1]   (Redis acquire percentiles)
if (args.Contains("--p99"))
{
    return await RedisAcquireLatency.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(CompositeOverheadBenchmarks).Assembly).Run(args);
return 0;
