using System.Globalization;
using System.Text;

namespace Poppy.Sdk.Soak.Tests;

/// <summary>The soak's figures and, for each check, its offenders with their services' operation logs.</summary>
internal static class SoakReport
{
    private const int ShownOffenders = 8;

    public static string Summary(SoakRun run)
    {
        var t = new StringBuilder();
        var s = run.Settings;
        t.AppendLine(CultureInfo.InvariantCulture, $"Soak: {s.Operations} operations, {s.Concurrency} in flight, seed {s.Seed}; {run.Duration.TotalSeconds:0.0} s in all ({run.SoakPhase.TotalSeconds:0.0} s under faults).");
        t.AppendLine(CultureInfo.InvariantCulture, $"Operations: {Counts(run.Ledger.OperationCounts)}");
        t.AppendLine(CultureInfo.InvariantCulture, $"Outcomes: {Counts(run.Ledger.Outcomes)}");
        t.AppendLine(CultureInfo.InvariantCulture, $"Faults injected ({run.Ledger.FaultCounts.Where(f => f.Key != "window closed").Sum(f => f.Value)}): {Counts(run.Ledger.FaultCounts)}");
        t.AppendLine(CultureInfo.InvariantCulture, $"Typed errors seen: {run.Ledger.Typed.Count} ({Counts(run.Ledger.Typed.GroupBy(e => e.Error.GetType().Name).ToDictionary(g => g.Key, g => g.Count()))})");
        foreach (var (key, value) in run.Diagnostics.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            t.AppendLine(CultureInfo.InvariantCulture, $"{key}: {value}");
        }

        t.AppendLine(CultureInfo.InvariantCulture, $"Log records scanned: {run.LogRecords}");
        t.AppendLine(CultureInfo.InvariantCulture, $"Checks: lost {run.Lost.Count}, duplicated {run.Duplicated.Count}, orphaned {run.Orphaned.Count}, stuck {run.Stuck.Count}, untyped exceptions {run.Ledger.Untyped.Count}, retryable errors not marked transient {run.Ledger.Mislabelled.Count}, credential leaks {run.Leaks.Count} ({Counts(run.Leaks.GroupBy(l => Kind(l.Source)).ToDictionary(g => g.Key, g => g.Count()))})");
        if (run.HarnessError is { } error)
        {
            t.AppendLine("HARNESS ERROR: " + error);
        }

        return t.ToString();
    }

    public static string Offenders(SoakRun run, string check, IReadOnlyList<(string ServiceId, string Problem)> offenders)
    {
        var t = new StringBuilder();
        t.AppendLine(CultureInfo.InvariantCulture, $"{offenders.Count} {check}:");
        foreach (var (id, problem) in offenders)
        {
            t.AppendLine(CultureInfo.InvariantCulture, $"- {id}: {problem}");
        }

        t.AppendLine().AppendLine("Operation logs of the first offenders:");
        foreach (var id in offenders.Select(o => o.ServiceId).Distinct(StringComparer.Ordinal).Take(ShownOffenders))
        {
            t.Append(run.Describe(id));
        }

        t.AppendLine().Append(Summary(run));
        return t.ToString();
    }

    public static string Untyped(SoakRun run)
    {
        var t = new StringBuilder();
        var all = run.Ledger.Untyped.ToList();
        t.AppendLine(CultureInfo.InvariantCulture, $"{all.Count} exceptions outside the SDK's vocabulary ({Counts(all.GroupBy(e => e.Error.GetType().FullName!).ToDictionary(g => g.Key, g => g.Count()))}):");
        foreach (var (id, where, error) in all.Take(ShownOffenders))
        {
            t.AppendLine(CultureInfo.InvariantCulture, $"- {id} {where}: {error}");
            t.Append(run.Describe(id));
        }

        t.AppendLine().Append(Summary(run));
        return t.ToString();
    }

    public static string Mislabelled(SoakRun run)
    {
        var t = new StringBuilder();
        var all = run.Ledger.Mislabelled.ToList();
        t.AppendLine(CultureInfo.InvariantCulture, $"{all.Count} errors say 'try again' by their code but are not marked transient:");
        foreach (var (id, where, error) in all.Take(ShownOffenders))
        {
            t.AppendLine(CultureInfo.InvariantCulture, $"- {id} {where}: {error}");
        }

        t.AppendLine().Append(Summary(run));
        return t.ToString();
    }

    public static string Leaks(SoakRun run)
    {
        var t = new StringBuilder();
        var leaks = run.Leaks;
        t.AppendLine(CultureInfo.InvariantCulture, $"{leaks.Count} outputs carry a configured secret — by source: {Counts(leaks.GroupBy(l => Kind(l.Source)).ToDictionary(g => g.Key, g => g.Count()))}; by secret: {Counts(leaks.GroupBy(l => l.Secret).ToDictionary(g => g.Key, g => g.Count()))}");
        foreach (var leak in leaks.DistinctBy(l => (Kind(l.Source), l.Secret)).Take(ShownOffenders))
        {
            t.AppendLine(CultureInfo.InvariantCulture, $"- {leak.Secret} in {leak.Source}{(leak.ServiceId is null ? "" : " of " + leak.ServiceId)}: …{leak.Excerpt}…");
        }

        t.AppendLine().Append(Summary(run));
        return t.ToString();
    }

    public static string Full(SoakRun run)
    {
        var t = new StringBuilder(Summary(run));
        t.AppendLine().AppendLine("Typed errors, grouped (where, type, provider, code):");
        foreach (var g in run.Ledger.Typed.GroupBy(e => $"{Where(e.Where)}: {Shape(e.Error)}").OrderByDescending(g => g.Count()).Take(40))
        {
            t.AppendLine(CultureInfo.InvariantCulture, $"  {g.Count(),5} × {g.Key}");
        }

        t.AppendLine().AppendLine("Fault log:");
        foreach (var f in run.Ledger.FaultLog)
        {
            t.AppendLine(f);
        }

        foreach (var (check, list) in new[] { ("lost", run.Lost), ("duplicated", run.Duplicated), ("orphaned", run.Orphaned), ("stuck", run.Stuck) })
        {
            if (list.Count > 0)
            {
                t.AppendLine().Append(Offenders(run, check, list));
            }
        }

        if (!run.Ledger.Untyped.IsEmpty)
        {
            t.AppendLine().Append(Untyped(run));
        }

        if (!run.Ledger.Mislabelled.IsEmpty)
        {
            t.AppendLine().Append(Mislabelled(run));
        }

        if (run.Leaks.Count > 0)
        {
            t.AppendLine().Append(Leaks(run));
        }

        return t.ToString();
    }

    private static string Where(string where) => where.Length > 0 && where[0] == '#' && where.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? where[(space + 1)..] : where;

    private static string Shape(Exception error) => error switch
    {
        CdnAllProvidersFailedException all => $"{nameof(CdnAllProvidersFailedException)} [{string.Join(", ", all.Attempts.Select(a => $"{a.Provider} {Shape(a.Exception)}"))}]",
        CdnRequestFailedException rf => $"{rf.GetType().Name} {rf.ErrorCode}{(rf.VendorErrorCode is null ? "" : "/" + rf.VendorErrorCode)}",
        _ => error.GetType().Name,
    };

    private static string Kind(string source) => source.StartsWith("log record", StringComparison.Ordinal) ? "log records" : source;

    private static string Counts(IEnumerable<KeyValuePair<string, int>> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
