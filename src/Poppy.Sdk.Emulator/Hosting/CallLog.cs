using System.Collections.Concurrent;

namespace Poppy.Sdk.Emulator;

/// <summary>A request the emulator answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path (no query).</param>
/// <param name="Status">The status it answered with (0 for a reset connection).</param>
public sealed record EmulatorCall(string Method, string Path, int Status);

/// <summary>The calls one emulated vendor answered, for tests.</summary>
public sealed class CallLog
{
    private readonly ConcurrentQueue<EmulatorCall> _calls = new();

    /// <summary>Every call, in order.</summary>
    public IReadOnlyList<EmulatorCall> Calls => [.. _calls];

    /// <summary>Counts calls by method and a path predicate.</summary>
    /// <param name="method">The method, or null for any.</param>
    /// <param name="pathContains">A substring of the path, or null for any.</param>
    /// <returns>The count.</returns>
    public int Count(string? method = null, string? pathContains = null) =>
        _calls.Count(c => (method is null || c.Method == method) && (pathContains is null || c.Path.Contains(pathContains, StringComparison.Ordinal)));

    /// <summary>Forgets every call.</summary>
    public void Clear() => _calls.Clear();

    internal void Add(EmulatorCall call) => _calls.Enqueue(call);
}
