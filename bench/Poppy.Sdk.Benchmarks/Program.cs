using BenchmarkDotNet.Running;
using Poppy.Sdk.Benchmarks;

// dotnet run -c Release --project bench/Poppy.Sdk.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(CompositeOverheadBenchmarks).Assembly).Run(args);
