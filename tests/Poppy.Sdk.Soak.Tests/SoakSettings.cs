using System.Globalization;

namespace Poppy.Sdk.Soak.Tests;

/// <summary>
/// How big the soak is. CI runs the small default; set <c>POPPY_SOAK_OPERATIONS</c> (and optionally
/// <c>POPPY_SOAK_SEED</c>, <c>POPPY_SOAK_CONCURRENCY</c>, <c>POPPY_SOAK_REPORT</c> = a file for the summary) to run it large.
/// </summary>
internal sealed record SoakSettings(int Operations, int Seed, int Concurrency, string? ReportPath)
{
    public const int DefaultOperations = 240;
    public const int DefaultSeed = 20261207;
    public const int DefaultConcurrency = 8;

    public static SoakSettings FromEnvironment() => new(
        Read("POPPY_SOAK_OPERATIONS", DefaultOperations),
        Read("POPPY_SOAK_SEED", DefaultSeed),
        Read("POPPY_SOAK_CONCURRENCY", DefaultConcurrency),
        Environment.GetEnvironmentVariable("POPPY_SOAK_REPORT") is { Length: > 0 } path ? path : null);

    /// <summary>A seed for one operation's dice (HashCode.Combine is randomised per process, so it would not repeat).</summary>
    public static int Mix(int seed, int operation, int salt) => unchecked((((seed * 1_000_003) + operation) * 7_919) + salt);

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
