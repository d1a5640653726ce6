using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Poppy.Sdk.Soak.Tests;

/// <summary>What the caller was told about one service.</summary>
internal enum Belief
{
    /// <summary>Never told it exists (its create has not succeeded yet, or failed).</summary>
    Unknown,

    /// <summary>A create or update succeeded and no delete was started after it.</summary>
    Exists,

    /// <summary>A delete was started (its outcome, good or bad, is not a promise that the service exists).</summary>
    Deleting,

    /// <summary>A delete succeeded.</summary>
    Deleted,
}

/// <summary>One service's story as the soak saw it: what it was told, and every event, in order.</summary>
internal sealed class SoakServiceLog(string serviceId, string flavor)
{
    private readonly ConcurrentQueue<string> _events = new();

    public string ServiceId { get; } = serviceId;

    public string Flavor { get; } = flavor;

    public Belief Belief { get; set; }

    /// <summary>
    /// Operations on it now: purges share a service with each other; creates, updates, retried creates and deletes take
    /// it alone (-1), so what the caller was told stays well defined.
    /// </summary>
    public int Busy;

    public bool TryEnterShared()
    {
        while (true)
        {
            var busy = Volatile.Read(ref Busy);
            if (busy < 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref Busy, busy + 1, busy) == busy)
            {
                return true;
            }
        }
    }

    public bool TryEnterAlone() => Interlocked.CompareExchange(ref Busy, -1, 0) == 0;

    public void Exit()
    {
        if (Volatile.Read(ref Busy) < 0)
        {
            Volatile.Write(ref Busy, 0);
        }
        else
        {
            Interlocked.Decrement(ref Busy);
        }
    }

    public int Variant { get; set; }

    public void Add(TimeSpan at, string text) => _events.Enqueue(string.Create(CultureInfo.InvariantCulture, $"  [{at.TotalSeconds,8:0.000}s] {text}"));

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"--- {ServiceId} (flavor {Flavor}, caller believes: {Belief}) ---").AppendLine();
        foreach (var e in _events)
        {
            text.AppendLine(e);
        }

        return text.ToString();
    }
}

/// <summary>Every service's log, the fault log, and what the reconciliation counts.</summary>
internal sealed class SoakLedger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<string> _faults = new();

    public ConcurrentDictionary<string, SoakServiceLog> Services { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string ServiceId, string Where, Exception Error)> Untyped { get; } = new();

    public ConcurrentQueue<(string ServiceId, string Where, Exception Error)> Typed { get; } = new();

    /// <summary>Errors whose code says "try again" (unavailable, timeout, network, rate limited) but that are not marked transient.</summary>
    public ConcurrentQueue<(string ServiceId, string Where, string Error)> Mislabelled { get; } = new();

    public ConcurrentDictionary<string, int> FaultCounts { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> OperationCounts { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    public TimeSpan Now => _clock.Elapsed;

    public IEnumerable<string> FaultLog => _faults;

    public SoakServiceLog Service(string serviceId) => Services[serviceId];

    public void Log(string serviceId, string text)
    {
        if (Services.TryGetValue(serviceId, out var log))
        {
            log.Add(Now, text);
        }
    }

    public void Fault(int operation, string kind, string text)
    {
        FaultCounts.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _faults.Enqueue(string.Create(CultureInfo.InvariantCulture, $"  [{Now.TotalSeconds,8:0.000}s] before op #{operation}: {text}"));
    }

    public void Count(ConcurrentDictionary<string, int> counts, string key) => counts.AddOrUpdate(key, 1, (_, n) => n + 1);

    public string Describe(string serviceId) => Services.TryGetValue(serviceId, out var log) ? log.Describe() : $"--- {serviceId}: never created by the soak ---" + Environment.NewLine;
}
