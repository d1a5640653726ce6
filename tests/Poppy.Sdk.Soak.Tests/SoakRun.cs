using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Serialization;

namespace Poppy.Sdk.Soak.Tests;

/// <summary>One vendor resource found by inspection, with the Poppy service id stamped on it.</summary>
internal sealed record VendorResource(string Provider, string Kind, string ServiceId, string VendorId, bool Serving, string State)
{
    public override string ToString() => $"{Provider} {Kind} {VendorId} (stamp {ServiceId}, {State})";
}

/// <summary>
/// Runs the soak once (mixed operations under faults, then reconciliation) and keeps what each check found, so each
/// check is its own test and a leak (expected until the scrubber lands) does not hide the other results.
/// </summary>
public sealed class SoakRun : IAsyncLifetime
{
    private const int PollsPerOperation = 400;
    private const int PollsOnceFaultsCleared = 300;
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(150);
    private static readonly JsonSerializerOptions ReportJson = new() { WriteIndented = false };
    private readonly List<(string ServiceId, string Kind, CdnOperation Operation)> _unfinished = [];
    private SoakEnvironment _env = null!;
    private FaultSchedule _faults = null!;
    private LeakScanner _scanner = null!;

    internal SoakSettings Settings { get; } = SoakSettings.FromEnvironment();

    internal SoakLedger Ledger { get; } = new();

    internal List<(string ServiceId, string Problem)> Lost { get; } = [];

    internal List<(string ServiceId, string Problem)> Duplicated { get; } = [];

    internal List<(string ServiceId, string Problem)> Orphaned { get; } = [];

    internal List<(string ServiceId, string Problem)> Stuck { get; } = [];

    internal IReadOnlyList<Leak> Leaks => [.. _scanner.Leaks];

    internal Exception? HarnessError { get; private set; }

    internal TimeSpan Duration { get; private set; }

    internal TimeSpan SoakPhase { get; private set; }

    internal int LogRecords { get; private set; }

    internal Dictionary<string, string> Diagnostics { get; } = new(StringComparer.Ordinal);

    /// <summary>The whole run, start to end.</summary>
    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        try
        {
            _env = await SoakEnvironment.StartAsync(Settings.Seed);
            _scanner = new LeakScanner(SoakEnvironment.Secrets);
            _faults = new FaultSchedule(Ledger, _env.Emulator, _env.Memory, Settings.Seed, Settings.Operations);
            CheckSpecs();

            await RunOperationsAsync();
            SoakPhase = watch.Elapsed;

            // Faults end: vendors up, credentials back, in-memory faults cleared. Then every operation must finish.
            _faults.ClearAll();
            await FinishUnfinishedAsync();

            await ReconcileAsync();
            await FinalPassAsync();
            ScanLogs();
        }
        catch (Exception ex)
        {
            HarnessError = ex;
        }

        Duration = watch.Elapsed;
        if (Settings.ReportPath is { } path)
        {
            await File.WriteAllTextAsync(path, SoakReport.Full(this));
        }
    }

    public async Task DisposeAsync()
    {
        if (_env is not null)
        {
            await _env.DisposeAsync();
        }
    }

    internal string Describe(string serviceId) => Ledger.Describe(serviceId);

    private void CheckSpecs()
    {
        foreach (var (flavor, _, _) in SoakEnvironment.Flavors)
        {
            for (var variant = 0; variant < 3; variant++)
            {
                var result = _env.Client.Validate(SoakEnvironment.Spec("soak-check", flavor, variant));
                if (!result.IsValid)
                {
                    throw new InvalidOperationException($"The soak's spec variant {variant} is invalid on flavor {flavor}: " + string.Join("; ", result.Problems.Select(p => $"{p.Provider} {p.Path}: {p.Message}")));
                }
            }
        }
    }

    private async Task RunOperationsAsync()
    {
        var next = -1;
        var gate = new object();
        async Task WorkerAsync()
        {
            while (true)
            {
                int op;
                lock (gate)
                {
                    op = ++next;
                    if (op >= Settings.Operations)
                    {
                        return;
                    }

                    _faults.Before(op);
                }

                await RunOneAsync(op);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Settings.Concurrency).Select(_ => Task.Run(WorkerAsync)));
    }

    private async Task RunOneAsync(int op)
    {
        var rng = new Random(SoakSettings.Mix(Settings.Seed, op, 2));
        var roll = rng.NextDouble();
        SoakServiceLog? Pick(Belief belief, bool alone)
        {
            var candidates = Ledger.Services.Values.Where(s => s.Belief == belief && (alone ? Volatile.Read(ref s.Busy) == 0 : Volatile.Read(ref s.Busy) >= 0)).OrderBy(s => s.ServiceId, StringComparer.Ordinal).ToList();
            for (var attempt = 0; attempt < 4 && candidates.Count > 0; attempt++)
            {
                var s = candidates[rng.Next(candidates.Count)];
                if (alone ? s.TryEnterAlone() : s.TryEnterShared())
                {
                    return s;
                }
            }

            return null;
        }

        var live = Ledger.Services.Values.Count(s => s.Belief == Belief.Exists);
        SoakServiceLog? target = null;
        string kind;
        if (live >= 6 && roll >= 0.30)
        {
            (kind, target) = roll switch
            {
                // Updates take a service alone: two concurrent converges of a provider whose create failed both create
                // there (a duplicate Fastly service; see docs/reliability.md, known defects) — a separate defect.
                < 0.60 => ("update", Pick(Belief.Exists, alone: true)),
                < 0.82 => ("purge", Pick(Belief.Exists, alone: false)),
                < 0.92 => ("delete", Pick(Belief.Exists, alone: true)),
                _ => rng.Next(2) == 0 ? ("retry-create", Pick(Belief.Unknown, alone: true)) : ("retry-delete", Pick(Belief.Deleting, alone: true)),
            };
        }
        else
        {
            kind = "create";
        }

        if (target is null)
        {
            kind = "create";
            var id = "soak-" + op.ToString("D5", CultureInfo.InvariantCulture);
            target = new SoakServiceLog(id, SoakEnvironment.Flavors[rng.Next(SoakEnvironment.Flavors.Length)].Id) { Busy = -1 };
            Ledger.Services[id] = target;
        }

        Ledger.Count(Ledger.OperationCounts, kind);
        var keepBusy = false;
        try
        {
            keepBusy = await ExecuteAsync(op, kind, target, rng);
        }
        finally
        {
            if (!keepBusy)
            {
                target.Exit();
            }
        }
    }

    /// <returns>Whether the operation is still running (left for after the faults end).</returns>
    private async Task<bool> ExecuteAsync(int op, string kind, SoakServiceLog s, Random rng)
    {
        var id = s.ServiceId;
        var client = _env.Client;
        var where = $"#{op} {kind}";

        // Now and then the caller gives up while the operation starts (its token is cancelled after a few milliseconds).
        using var cancellation = new CancellationTokenSource();
        var cancelAfter = rng.Next(16) == 0 ? rng.Next(1, 40) : -1;
        if (cancelAfter > 0)
        {
            cancellation.CancelAfter(cancelAfter);
            Ledger.Count(Ledger.OperationCounts, "(caller cancels the start)");
        }

        var ct = cancellation.Token;
        s.Add(Ledger.Now, $"{where} start (belief {s.Belief}){(cancelAfter > 0 ? $", cancelled by the caller after {cancelAfter} ms" : "")}");
        try
        {
            switch (kind)
            {
                case "create":
                case "retry-create":
                    {
                        var operation = await MaybeResumeAsync(op, s, await client.CreateServiceAsync(SoakEnvironment.Spec(id, s.Flavor, s.Variant), id, ct), rng);
                        return await FollowAsync(op, kind, s, operation, success: () => s.Belief = Belief.Exists);
                    }

                case "update":
                    {
                        var variant = (s.Variant + 1 + rng.Next(2)) % 3;
                        var operation = await MaybeResumeAsync(op, s, await client.UpdateServiceAsync(id, SoakEnvironment.Spec(id, s.Flavor, variant), ct), rng);
                        return await FollowAsync(op, kind, s, operation, success: () => s.Variant = variant);
                    }

                case "delete":
                case "retry-delete":
                    {
                        s.Belief = Belief.Deleting;
                        var operation = await MaybeResumeAsync(op, s, await client.DeleteServiceAsync(id, ct), rng);
                        return await FollowAsync(op, kind, s, operation, success: () => s.Belief = Belief.Deleted);
                    }

                default:
                    {
                        var domain = id + ".soak.example.com";
                        var request = rng.Next(3) == 0
                            ? PurgeRequest.ForPrefixes("/static/")
                            : PurgeRequest.ForUrls($"http://{domain}/static/app-{op}.css", $"http://{domain}/index.html");
                        var operation = await client.StartPurgeAsync(id, request, null, ct);
                        return await FollowAsync(op, kind, s, operation, success: null);
                    }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Caller cancellation is the one exception outside the vocabulary a caller expects.
            s.Add(Ledger.Now, $"{where} cancelled by the caller");
            Ledger.Count(Ledger.Outcomes, kind + ": cancelled by the caller");
            return false;
        }
        catch (Exception ex)
        {
            Caught(id, where + " (start)", ex);
            Ledger.Count(Ledger.Outcomes, kind + ": threw " + ex.GetType().Name);
            return false;
        }
    }

    /// <summary>Now and then, follows the operation through <see cref="PoppyClient.ResumeOperationAsync"/> instead (as another request would).</summary>
    private async Task<CdnOperation<T>> MaybeResumeAsync<T>(int op, SoakServiceLog s, ServiceOperation<T> operation, Random rng)
    {
        if (operation.HasCompleted || rng.Next(8) != 0)
        {
            return operation;
        }

        Ledger.Count(Ledger.OperationCounts, "(resumed from its id)");
        s.Add(Ledger.Now, $"#{op} resumes {operation.Id} and follows the resumed operation");
        return (CdnOperation<T>)await _env.Client.ResumeOperationAsync(operation.Id);
    }

    private async Task<bool> FollowAsync<T>(int op, string kind, SoakServiceLog s, CdnOperation<T> operation, Action? success)
    {
        var where = $"#{op} {kind}";
        var done = await DriveAsync(s.ServiceId, where, operation, PollsPerOperation);
        if (!done)
        {
            s.Add(Ledger.Now, $"{where} still running after {PollsPerOperation} polls: {operation.StatusDescription}");
            lock (_unfinished)
            {
                _unfinished.Add((s.ServiceId, kind, operation));
            }

            Ledger.Count(Ledger.Outcomes, kind + ": unfinished under faults");
            return true;
        }

        Settle(s, where, kind, operation, success);
        return false;
    }

    private void Settle<T>(SoakServiceLog s, string where, string kind, CdnOperation<T> operation, Action? success)
    {
        if (operation.Error is { } error)
        {
            Caught(s.ServiceId, where, error);
            Ledger.Count(Ledger.Outcomes, kind + ": failed " + error.GetType().Name);
            return;
        }

        success?.Invoke();
        var value = operation.Value;
        if (value is CdnService svc0)
        {
            foreach (var p in svc0.Providers)
            {
                CheckTransience(s.ServiceId, where + " result, " + p.Provider, p.Error);
            }
        }
        else if (value is PurgeReport report0)
        {
            foreach (var p in report0.Providers)
            {
                foreach (var batch in p.Failed)
                {
                    CheckTransience(s.ServiceId, where + " purge report, " + p.Provider, batch.Error);
                }
            }
        }

        var text = Serialize(value);
        _scanner.Scan(text, "result", s.ServiceId);
        _scanner.Scan(operation.StatusDescription, "operation status", s.ServiceId);
        var summary = value switch
        {
            CdnService svc => $"status {svc.Status}; " + string.Join(", ", svc.Providers.Select(p => $"{p.Provider}={p.Status}{(p.VendorServiceId is null ? "" : "@" + p.VendorServiceId)}{(p.Error is null ? "" : $" ({p.Error.Code})")}")) + (svc.PendingCleanup.Count > 0 ? "; pending clean-up " + string.Join(",", svc.PendingCleanup) : ""),
            PurgeReport report => string.Join(", ", report.Providers.Select(p => $"{p.Provider}: {p.Succeeded.Count} ok, {p.Failed.Count} failed{(p.Unsupported is null ? "" : ", unsupported")}")),
            null => "gone",
            _ => value.ToString(),
        };
        Ledger.Count(Ledger.Outcomes, kind + ": completed" + (value is CdnService { Status: ProviderStatus.Failed } or PurgeReport { IsSuccess: false } ? " (partly failed)" : ""));
        s.Add(Ledger.Now, $"{where} completed: {summary}");
    }

    private static string? Serialize(object? value) => value switch
    {
        CdnService svc => JsonSerializer.Serialize(svc, PoppyJsonContext.Default.CdnService),
        PurgeReport report => JsonSerializer.Serialize(report, ReportJson),
        null => null,
        _ => value.ToString(),
    };

    /// <summary>Polls an operation on the real clock, at most <paramref name="polls"/> times; a poll that throws is an exception to classify.</summary>
    private async Task<bool> DriveAsync(string serviceId, string where, CdnOperation operation, int polls)
    {
        for (var i = 0; i < polls; i++)
        {
            try
            {
                if (await operation.UpdateStatusAsync())
                {
                    return true;
                }
            }
            catch (Exception ex)
            {
                Caught(serviceId, where + " (poll)", ex);
            }

            var delay = operation.SuggestedPollingDelay ?? operation.DefaultPollingInterval;
            await Task.Delay(delay < MaxPollDelay ? delay < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : delay : MaxPollDelay);
        }

        return false;
    }

    private void Caught(string serviceId, string where, Exception ex)
    {
        _scanner.Scan(ex.Message, "exception message", serviceId);
        _scanner.Scan(ex.ToString(), "exception ToString()", serviceId);
        var untyped = ex is not CdnException;
        if (ex is CdnAllProvidersFailedException all)
        {
            foreach (var attempt in all.Attempts)
            {
                if (attempt.Exception is not CdnException)
                {
                    Ledger.Untyped.Enqueue((serviceId, where + $" (attempt on {attempt.Provider} inside {nameof(CdnAllProvidersFailedException)})", attempt.Exception));
                }
            }
        }

        (untyped ? Ledger.Untyped : Ledger.Typed).Enqueue((serviceId, where, ex));
        CheckTransience(serviceId, where, ex);
        var code = ex is CdnRequestFailedException rf ? $" [{rf.Provider} {rf.ErrorCode}{(rf.IsTransient ? ", transient" : "")}]" : "";
        var message = ex.Message.ReplaceLineEndings(" ");
        Ledger.Log(serviceId, $"{where} -> {ex.GetType().Name}{code}: {(message.Length > 300 ? message[..300] + "…" : message)}");
    }

    private static readonly HashSet<string> RetryableCodes = ["service_unavailable", "timeout", "network_error", "rate_limited"];

    private void CheckTransience(string serviceId, string where, Exception ex)
    {
        switch (ex)
        {
            case CdnRequestFailedException rf when RetryableCodes.Contains(rf.ErrorCode.ToString()) && !rf.IsTransient:
                Ledger.Mislabelled.Enqueue((serviceId, where, $"{rf.GetType().Name} {rf.Provider} {rf.ErrorCode} IsTransient=false: {rf.Message}"));
                break;
            case CdnAllProvidersFailedException all:
                foreach (var attempt in all.Attempts)
                {
                    CheckTransience(serviceId, where + " attempt on " + attempt.Provider, attempt.Exception);
                }

                break;
        }
    }

    private void CheckTransience(string serviceId, string where, ProviderError? error)
    {
        if (error is not null && RetryableCodes.Contains(error.Code) && !error.IsTransient)
        {
            Ledger.Mislabelled.Enqueue((serviceId, where, $"ProviderError {error.Code} IsTransient=false: {error.Message}"));
        }
    }

    private async Task FinishUnfinishedAsync()
    {
        foreach (var (serviceId, kind, operation) in _unfinished)
        {
            var s = Ledger.Service(serviceId);
            var where = $"{kind} (followed after faults ended)";
            if (!await DriveAsync(serviceId, where, operation, PollsOnceFaultsCleared))
            {
                Stuck.Add((serviceId, $"{kind} did not complete within {PollsPerOperation} polls under faults plus {PollsOnceFaultsCleared} polls after: {operation.StatusDescription}"));
                continue;
            }

            Action? success = kind switch
            {
                "create" or "retry-create" => () => s.Belief = Belief.Exists,
                "delete" or "retry-delete" => () => s.Belief = Belief.Deleted,
                _ => null,
            };
            switch (operation)
            {
                case CdnOperation<CdnService?> service:
                    Settle(s, where, kind, service, success);
                    break;
                case CdnOperation<PurgeReport> purge:
                    Settle(s, where, kind, purge, success);
                    break;
            }

            s.Exit();
        }
    }

    /// <summary>Every Poppy-stamped resource the vendors hold now.</summary>
    internal List<VendorResource> Inventory()
    {
        var items = new List<VendorResource>();
        foreach (var f in _env.Emulator.Fastly.Services)
        {
            var stamp = f.Comment.StartsWith("poppy:service_id=", StringComparison.Ordinal) ? f.Comment["poppy:service_id=".Length..].Split(' ')[0] : "(unstamped: " + f.Comment + ")";
            items.Add(new VendorResource("fastly", "service", stamp, f.Id, f.ActiveVersion is not null, $"active version {f.ActiveVersion?.ToString(CultureInfo.InvariantCulture) ?? "none"} of {f.VersionCount}"));
        }

        foreach (var d in _env.Emulator.CloudFront.Distributions)
        {
            items.Add(new VendorResource("cloudfront", "distribution", d.CallerReference, d.Id, d.Enabled, $"{d.Status}, {(d.Enabled ? "enabled" : "disabled")}"));
        }

        foreach (var fn in _env.Emulator.CloudFront.Functions)
        {
            // poppy-<readable id>-<12 hex hash>: the soak's ids are short and readable, so the middle is the id.
            var name = fn.Name;
            var stamp = name.StartsWith("poppy-", StringComparison.Ordinal) && name.Length > 19 ? name[6..^13] : "(unrecognised: " + name + ")";
            items.Add(new VendorResource("cloudfront", "function", stamp, fn.Name, Serving: false, fn.Status));
        }

        foreach (var (name, memory) in _env.Memory)
        {
            foreach (var m in memory.Services)
            {
                items.Add(new VendorResource(name, "service", m.ServiceId, m.VendorServiceId, m.Status != ProviderStatus.DeleteInProgress, m.Status.ToString()));
            }
        }

        return items;
    }

    private async Task<Dictionary<string, CdnService>> CatalogAsync()
    {
        var catalog = new Dictionary<string, CdnService>(StringComparer.Ordinal);
        await foreach (var s in _env.Client.ListServicesAsync())
        {
            catalog[s.ServiceId] = s;
        }

        return catalog;
    }

    /// <summary>Lost, duplicated and unaccounted (orphaned) resources, with the faults gone and every operation finished.</summary>
    private async Task ReconcileAsync()
    {
        var inventory = Inventory();
        var catalog = await CatalogAsync();
        foreach (var entry in catalog.Values)
        {
            _scanner.Scan(JsonSerializer.Serialize(entry, PoppyJsonContext.Default.CdnService), "catalog entry", entry.ServiceId);
            foreach (var p in entry.Providers)
            {
                CheckTransience(entry.ServiceId, "catalog entry, " + p.Provider, p.Error);
            }
        }

        Diagnostics["catalog entries before the final pass"] = catalog.Count.ToString(CultureInfo.InvariantCulture);
        Diagnostics["vendor resources before the final pass"] = inventory.Count.ToString(CultureInfo.InvariantCulture);
        Diagnostics["services with pending clean-up before the final pass"] = catalog.Values.Count(c => c.PendingCleanup.Count > 0).ToString(CultureInfo.InvariantCulture);
        Diagnostics["services failed (derived status) before the final pass"] = catalog.Values.Count(c => c.Status == ProviderStatus.Failed).ToString(CultureInfo.InvariantCulture);

        foreach (var s in Ledger.Services.Values.Where(s => s.Belief == Belief.Exists).OrderBy(s => s.ServiceId, StringComparer.Ordinal))
        {
            if (!catalog.TryGetValue(s.ServiceId, out var entry))
            {
                Lost.Add((s.ServiceId, "the catalog no longer holds it; vendors hold: " + Holding(inventory, s.ServiceId)));
                continue;
            }

            var held = entry.Providers.Where(p => inventory.Any(r => r.ServiceId == s.ServiceId && r.Provider == p.Provider && r.Kind != "function" && r.Serving)).ToList();
            if (held.Count == 0)
            {
                Lost.Add((s.ServiceId, $"no provider serves it (catalog: {Json(entry)}; vendors hold: {Holding(inventory, s.ServiceId)})"));
            }
        }

        foreach (var group in inventory.GroupBy(r => (r.Provider, r.Kind, r.ServiceId)).Where(g => g.Count() > 1))
        {
            Duplicated.Add((group.Key.ServiceId, $"{group.Count()} {group.Key.Kind}s on {group.Key.Provider}: {string.Join("; ", group)}"));
        }

        foreach (var r in inventory)
        {
            if (!catalog.TryGetValue(r.ServiceId, out var entry))
            {
                Orphaned.Add((r.ServiceId, $"before the final pass: {r} — the catalog does not hold the service"));
            }
            else if (entry.Providers.All(p => p.Provider != r.Provider) && !entry.PendingCleanup.Contains(r.Provider))
            {
                Orphaned.Add((r.ServiceId, $"before the final pass: {r} — the catalog holds the service without {r.Provider} and without it in PendingCleanup ({Json(entry)})"));
            }
        }
    }

    /// <summary>Deletes every service the catalog holds (finishing every pending clean-up); then nothing may be left anywhere.</summary>
    private async Task FinalPassAsync()
    {
        var catalog = await CatalogAsync();
        using var gate = new SemaphoreSlim(Settings.Concurrency);
        await Task.WhenAll(catalog.Keys.Select(async id =>
        {
            await gate.WaitAsync();
            try
            {
                await DeleteToTheEndAsync(id);
            }
            finally
            {
                gate.Release();
            }
        }));

        foreach (var r in Inventory())
        {
            Orphaned.Add((r.ServiceId, $"after the final pass: {r} is left on the vendor"));
        }

        foreach (var left in (await CatalogAsync()).Values)
        {
            Stuck.Add((left.ServiceId, $"still in the catalog after the final pass deleted it: {Json(left)}"));
        }
    }

    private async Task DeleteToTheEndAsync(string id)
    {
        if (!Ledger.Services.ContainsKey(id))
        {
            Ledger.Services[id] = new SoakServiceLog(id, "?");
        }

        const int attempts = 6;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var where = $"final delete, attempt {attempt}";
            Ledger.Log(id, where + " start");
            try
            {
                var operation = await _env.Client.DeleteServiceAsync(id);
                if (!await DriveAsync(id, where, operation, PollsOnceFaultsCleared))
                {
                    Stuck.Add((id, $"the final delete did not complete within {PollsOnceFaultsCleared} polls: {operation.StatusDescription}"));
                    return;
                }

                if (operation.Error is null)
                {
                    Ledger.Log(id, where + " completed");
                    Ledger.Service(id).Belief = Belief.Deleted;
                    return;
                }

                Caught(id, where, operation.Error);
            }
            catch (Exception ex)
            {
                Caught(id, where + " (start)", ex);
            }

            // A circuit opened during the faults closes after its break (1 s); the next attempt is its trial call.
            await Task.Delay(TimeSpan.FromMilliseconds(400));
        }

        Stuck.Add((id, $"the final delete failed {attempts} times with vendors up and no fault"));
    }

    private void ScanLogs()
    {
        var records = _env.Logs.GetSnapshot();
        LogRecords = records.Count;
        foreach (var record in records)
        {
            var source = "log record (" + record.Category + ")";
            _scanner.Scan(record.Message, source, null);
            if (record.Exception is { } ex)
            {
                _scanner.Scan(ex.ToString(), source + " exception", null);
            }

            if (record.StructuredState is { } state)
            {
                foreach (var pair in state)
                {
                    _scanner.Scan(pair.Value, source + " state", null);
                }
            }
        }
    }

    private static string Holding(List<VendorResource> inventory, string serviceId)
    {
        var held = inventory.Where(r => r.ServiceId == serviceId).ToList();
        return held.Count == 0 ? "nothing" : string.Join("; ", held);
    }

    private static string Json(CdnService entry)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"v{entry.Version} status {entry.Status}, providers [");
        text.AppendJoin(", ", entry.Providers.Select(p => $"{p.Provider}={p.Status}@{p.VendorServiceId ?? "none"}{(p.Error is null ? "" : $" ({p.Error.Code})")}"));
        text.Append(']');
        if (entry.PendingCleanup.Count > 0)
        {
            text.Append(", pending clean-up [").AppendJoin(", ", entry.PendingCleanup).Append(']');
        }

        return text.ToString();
    }
}
