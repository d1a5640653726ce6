using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Poppy.Sdk.Cloudflare.Internal.Api;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// Applies a plan to the SaaS zone: custom hostnames by name (created, edited, or deleted when the spec dropped them)
/// and the service's rules by <c>ref</c>, one rule per call, so other services' rules in the same entry points are never
/// rewritten. Every write is safe to repeat: a retried create finds what the first attempt made and converges it.
/// </summary>
internal sealed class CloudflareServiceWriter(CloudflareApi api, CloudflareServiceReader reader, CloudflareCdnProviderOptions options, ILogger logger)
{
    // One creator per entry point in this process; across processes the write is verified afterwards (see SyncPhaseAsync).
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _entryPointLocks = new(StringComparer.Ordinal);
    private int _fallbackChecked;

    /// <summary>Makes the zone hold <paramref name="desired"/> for the service; returns its custom hostnames as written.</summary>
    public async Task<List<CfCustomHostnameDto>> ApplyAsync(string serviceId, CloudflareConfig desired, IReadOnlyList<CfCustomHostnameDto> previous, CancellationToken cancellationToken)
    {
        CloudflareLog.Writing(logger, serviceId, desired.Hostnames.Count, desired.Rules.Count);
        await EnsureFallbackOriginAsync(cancellationToken).ConfigureAwait(false);
        var existing = await reader.FindByNameAsync(serviceId, desired.Hostnames.Select(h => h.Hostname), cancellationToken).ConfigureAwait(false);
        var written = new List<CfCustomHostnameDto>();
        foreach (var hostname in desired.Hostnames)
        {
            written.Add(await WriteHostnameAsync(serviceId, hostname, existing.GetValueOrDefault(hostname.Hostname), cancellationToken).ConfigureAwait(false));
        }

        foreach (var phase in Phases.All)
        {
            await SyncPhaseAsync(serviceId, phase, desired.InPhase(phase).ToList(), cancellationToken).ConfigureAwait(false);
        }

        // Hostnames the spec no longer has go last, once the rules no longer name them.
        foreach (var gone in previous.Where(p => p.Id is not null && desired.Hostnames.All(h => !string.Equals(h.Hostname, p.Hostname, StringComparison.OrdinalIgnoreCase))))
        {
            await api.Hostnames.DeleteAsync(gone.Id!, cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    /// <summary>Deletes the service: its rules, then its custom hostnames. Returns how many of each were deleted.</summary>
    public async Task<(int Hostnames, int Rules)> DeleteAsync(string serviceId, IReadOnlyList<CfCustomHostnameDto> hostnames, IReadOnlyList<PhaseRules> rules, CancellationToken cancellationToken)
    {
        var deletedRules = 0;
        foreach (var phase in rules.Where(p => p.RulesetId is not null))
        {
            foreach (var rule in phase.Ours.Where(r => r.Id is not null))
            {
                deletedRules += await api.Rulesets.DeleteRuleAsync(phase.RulesetId!, rule.Id!, rule.Ref ?? rule.Id!, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
        }

        var deletedHostnames = 0;
        foreach (var hostname in hostnames.Where(h => h.Id is not null))
        {
            reader.RequireOwned(hostname, serviceId);
            deletedHostnames += await api.Hostnames.DeleteAsync(hostname.Id!, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        CloudflareLog.Deleted(logger, serviceId, deletedHostnames, deletedRules);
        return (deletedHostnames, deletedRules);
    }

    /// <summary>Whether a rule Cloudflare holds is the one Poppy would write (every field Poppy sets; Cloudflare may add defaults).</summary>
    public static bool Same(CfRuleDto actual, RuleObject desired)
    {
        if (actual.Expression != desired.Expression || actual.Action != desired.Action || (actual.Description ?? "") != desired.Description || actual.Enabled == false)
        {
            return false;
        }

        if (desired.ActionParameters is null)
        {
            return actual.ActionParameters is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } || actual.ActionParameters.Value.ValueKind == JsonValueKind.Object && !actual.ActionParameters.Value.EnumerateObject().Any();
        }

        using var wanted = JsonDocument.Parse(desired.ActionParameters);
        return actual.ActionParameters is { } parameters && Contains(parameters, wanted.RootElement);
    }

    private static bool Contains(JsonElement actual, JsonElement wanted)
    {
        if (wanted.ValueKind == JsonValueKind.Object)
        {
            return actual.ValueKind == JsonValueKind.Object
                && wanted.EnumerateObject().All(p => actual.TryGetProperty(p.Name, out var value) && Contains(value, p.Value));
        }

        if (wanted.ValueKind == JsonValueKind.Number)
        {
            return actual.ValueKind == JsonValueKind.Number && actual.GetDecimal() == wanted.GetDecimal();
        }

        return actual.ValueKind == wanted.ValueKind && actual.GetRawText() == wanted.GetRawText();
    }

    private async Task<CfCustomHostnameDto> WriteHostnameAsync(string serviceId, HostnameObject hostname, CfCustomHostnameDto? existing, CancellationToken cancellationToken)
    {
        if (existing is null)
        {
            try
            {
                return await api.Hostnames.CreateAsync(hostname, cancellationToken).ConfigureAwait(false);
            }
            catch (CdnRequestFailedException e) when (e.ErrorCode == CdnErrorCode.Conflict || e.VendorErrorCode == CloudflareErrorMapper.DuplicateHostname.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                // Created meanwhile (a retried create whose first answer was lost, or a concurrent one): look it up and converge.
                existing = await api.Hostnames.FindAsync(hostname.Hostname, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    throw;
                }

                reader.RequireOwned(existing, serviceId);
            }
        }

        CloudflareLog.Converging(logger, serviceId, hostname.Hostname);
        return hostname.Matches(existing) ? existing : await api.Hostnames.EditAsync(existing.Id!, hostname, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes one phase hold the service's desired rules, in order, touching only rules whose <c>ref</c> is the service's.
    /// Kept rules are edited in place (PATCH); new ones are added after their predecessor (POST with <c>position</c>);
    /// when the kept rules' order differs from the desired order, they are deleted and added again in order (rule order
    /// decides which of two matching origin or cache rules wins). When the entry point did not exist, it is created once
    /// (under a lock in this process), and the rules are read back afterwards: another process that created it at the same
    /// moment may have replaced the rules, so any missing one is written again.
    /// </summary>
    private async Task SyncPhaseAsync(string serviceId, string phase, List<RuleObject> desired, CancellationToken cancellationToken)
    {
        var ruleset = await api.Rulesets.GetEntryPointAsync(phase, cancellationToken).ConfigureAwait(false);
        var created = false;
        if (ruleset is null)
        {
            if (desired.Count == 0)
            {
                return;
            }

            (ruleset, created) = await EnsureEntryPointAsync(phase, cancellationToken).ConfigureAwait(false);
        }

        var rulesetId = ruleset.Id ?? throw new CdnRequestFailedException(options.Name, $"Cloudflare returned the {phase} entry point without an id.", 200, CdnErrorCode.MalformedResponse, isTransient: false);
        var ours = CloudflareServiceReader.Ours(phase, ruleset, serviceId).Ours.ToList();
        var wantedRefs = desired.Select(r => r.Ref).ToList();
        var extras = ours.Where(r => !wantedRefs.Contains(r.Ref!)).ToList();
        var kept = ours.Where(r => wantedRefs.Contains(r.Ref!)).ToList();
        var keptOrder = kept.Select(r => r.Ref!).ToList();
        if (!keptOrder.SequenceEqual(wantedRefs.Where(keptOrder.Contains)))
        {
            extras.AddRange(kept);
            kept.Clear();
        }

        foreach (var extra in extras.Where(r => r.Id is not null))
        {
            await api.Rulesets.DeleteRuleAsync(rulesetId, extra.Id!, extra.Ref!, cancellationToken).ConfigureAwait(false);
        }

        await WriteRulesAsync(rulesetId, desired, kept, cancellationToken).ConfigureAwait(false);

        if (created)
        {
            var check = await api.Rulesets.GetEntryPointAsync(phase, cancellationToken).ConfigureAwait(false);
            var present = CloudflareServiceReader.Ours(phase, check, serviceId).Ours;
            var lost = desired.Where(d => present.All(p => p.Ref != d.Ref)).ToList();
            if (check?.Id is { } checkId && lost.Count > 0)
            {
                foreach (var rule in lost)
                {
                    CloudflareLog.RuleLost(logger, rule.Ref, phase);
                }

                await WriteRulesAsync(checkId, desired, present.Where(p => lost.All(l => l.Ref != p.Ref)).ToList(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteRulesAsync(string rulesetId, List<RuleObject> desired, List<CfRuleDto> kept, CancellationToken cancellationToken)
    {
        string? previousId = null;
        foreach (var rule in desired)
        {
            var current = kept.FirstOrDefault(r => r.Ref == rule.Ref);
            if (current?.Id is { } id)
            {
                if (!Same(current, rule))
                {
                    await api.Rulesets.EditRuleAsync(rulesetId, id, rule, cancellationToken).ConfigureAwait(false);
                }

                previousId = id;
                continue;
            }

            var next = kept.FirstOrDefault(k => desired.IndexOf(desired.First(d => d.Ref == k.Ref)) > desired.IndexOf(rule));
            (string, string)? position = previousId is not null ? ("after", previousId) : next?.Id is { } nextId ? ("before", nextId) : null;
            var result = await api.Rulesets.CreateRuleAsync(rulesetId, rule, position, cancellationToken).ConfigureAwait(false);
            previousId = result.Rules?.LastOrDefault(r => r.Ref == rule.Ref)?.Id
                ?? throw new CdnRequestFailedException(options.Name, $"Cloudflare added rule '{rule.Ref}' but did not return it in the ruleset.", 200, CdnErrorCode.MalformedResponse, isTransient: false);
        }
    }

    private async Task<(CfRulesetDto Ruleset, bool Created)> EnsureEntryPointAsync(string phase, CancellationToken cancellationToken)
    {
        var gate = _entryPointLocks.GetOrAdd(phase, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Read again under the lock: another caller in this process may have just created it.
            if (await api.Rulesets.GetEntryPointAsync(phase, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return (existing, false);
            }

            var created = await api.Rulesets.CreateEntryPointAsync(phase, cancellationToken).ConfigureAwait(false);
            CloudflareLog.EntryPointCreated(logger, phase, options.ZoneId);
            return (created, true);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task EnsureFallbackOriginAsync(CancellationToken cancellationToken)
    {
        if (options.FallbackOriginPolicy != CloudflareFallbackOriginPolicy.Ensure || Volatile.Read(ref _fallbackChecked) == 1)
        {
            return;
        }

        var current = await api.Hostnames.GetFallbackOriginAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(current?.Origin, options.FallbackOrigin, StringComparison.OrdinalIgnoreCase))
        {
            await api.Hostnames.SetFallbackOriginAsync(options.FallbackOrigin, cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _fallbackChecked, 1);
    }
}
