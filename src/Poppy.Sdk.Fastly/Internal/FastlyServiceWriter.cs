using Microsoft.Extensions.Logging;
using Poppy.Sdk.Fastly.Internal.Api;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Writes a plan's objects to Fastly: a new service (version 1), or a draft version (a clone of the active one)
/// brought from what it holds to what the plan wants, validated and activated. Nothing is deployed when the active
/// version already matches; deletes deactivate first (Fastly refuses to delete an active service).
/// </summary>
internal sealed class FastlyServiceWriter(FastlyApi api, FastlyServiceReader reader, ILogger logger)
{
    /// <summary>Creates the service stamped for <paramref name="serviceId"/> and deploys version 1.</summary>
    /// <returns>The vendor id and the version activated.</returns>
    public async Task<(string VendorId, int Version)> CreateAsync(string serviceId, FastlyConfig desired, CancellationToken cancellationToken)
    {
        var created = await api.Services.CreateAsync(FastlyTranslator.ServiceName(serviceId), FastlyTranslator.ServiceComment(serviceId), cancellationToken).ConfigureAwait(false);
        var id = created.Id is { Length: > 0 } v ? v : throw reader.Malformed("create service", "no service id");
        FastlyLog.Created(logger, serviceId, id);

        // Version 1 comes with the service and is empty.
        var version = created.Versions?.Where(x => x.Number is not null).Select(x => x.Number!.Value).DefaultIfEmpty(1).Max() ?? 1;
        await ApplyAsync(id, version, new FastlyConfig(), desired, cancellationToken).ConfigureAwait(false);
        await ActivateAsync(serviceId, id, version, cancellationToken).ConfigureAwait(false);
        return (id, version);
    }

    /// <summary>Brings an existing service to <paramref name="desired"/>.</summary>
    /// <returns>The vendor id and the version now active.</returns>
    public async Task<(string VendorId, int Version)> DeployAsync(string serviceId, FastlyServiceDto service, FastlyConfig desired, bool isUpdate, CancellationToken cancellationToken)
    {
        var vendorId = service.Id!;
        service = await reader.WithVersionsAsync(service, cancellationToken).ConfigureAwait(false);
        var versions = service.Versions ?? [];
        var active = versions.FirstOrDefault(v => v.Active == true && v.Number is not null);
        var baseVersion = active ?? versions.Where(v => v.Number is not null).MaxBy(v => v.Number)
            ?? throw reader.Malformed("get service", "the service has no versions");
        var current = await reader.ReadConfigAsync(vendorId, baseVersion.Number!.Value, baseVersion.Comment, cancellationToken).ConfigureAwait(false);
        if (active is not null && Matches(current, desired))
        {
            FastlyLog.Unchanged(logger, serviceId, vendorId, active.Number!.Value);
            return (vendorId, active.Number.Value);
        }

        if (isUpdate)
        {
            FastlyLog.Updating(logger, serviceId, vendorId, baseVersion.Number.Value);
        }

        int draft;
        if (baseVersion.Active == true || baseVersion.Locked == true)
        {
            var clone = await api.Versions.CloneAsync(vendorId, baseVersion.Number.Value, cancellationToken).ConfigureAwait(false);
            draft = clone.Number ?? throw reader.Malformed("clone version", "no version number");
        }
        else
        {
            draft = baseVersion.Number.Value;
        }

        await ApplyAsync(vendorId, draft, current, desired, cancellationToken).ConfigureAwait(false);
        await ActivateAsync(serviceId, vendorId, draft, cancellationToken).ConfigureAwait(false);
        return (vendorId, draft);
    }

    /// <summary>Deactivates the active version, then deletes the service (each step safe to repeat).</summary>
    public async Task DeleteAsync(string serviceId, FastlyServiceDto found, CancellationToken cancellationToken)
    {
        var vendorId = found.Id!;
        if (found.Versions is null)
        {
            found = await api.Services.GetAsync(vendorId, cancellationToken).ConfigureAwait(false) ?? found;
        }

        if (found.Versions?.FirstOrDefault(v => v.Active == true)?.Number is { } active)
        {
            await api.Versions.DeactivateAsync(vendorId, active, cancellationToken).ConfigureAwait(false);
        }

        await api.Services.DeleteAsync(vendorId, cancellationToken).ConfigureAwait(false);
        FastlyLog.Deleted(logger, serviceId, vendorId);
    }

    private async Task ActivateAsync(string serviceId, string vendorId, int version, CancellationToken cancellationToken)
    {
        await api.Versions.ValidateAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        await api.Versions.ActivateAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        FastlyLog.Activated(logger, serviceId, vendorId, version);
    }

    /// <summary>Whether a version already holds the desired objects.</summary>
    private static bool Matches(FastlyConfig current, FastlyConfig desired) =>
        SameSet(current.Domains, desired.Domains) &&
        SameSet(current.Backends, desired.Backends) &&
        SameSet(current.Conditions, desired.Conditions) &&
        SameSet(current.CacheSettings, desired.CacheSettings) &&
        SameSet(current.ResponseObjects, desired.ResponseObjects) &&
        SameSet(current.Acls, desired.Acls) &&
        (desired.DefaultTtl is null || desired.DefaultTtl == current.DefaultTtl) &&
        desired.VersionComment == current.VersionComment;

    private static bool SameSet<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) => a.Count == b.Count && !a.Except(b).Any();

    /// <summary>
    /// Brings a draft version from <paramref name="current"/> to <paramref name="desired"/>: objects that differ are
    /// deleted (dependants before what they depend on) and created again (dependencies first). An object that
    /// refers to a re-created condition or ACL is re-created with it. ACLs are never edited in place: their entries
    /// are versionless, so editing a cloned ACL would change the live version before activation.
    /// </summary>
    private async Task ApplyAsync(string vendorId, int version, FastlyConfig current, FastlyConfig desired, CancellationToken cancellationToken)
    {
        var staleAcls = current.Acls.Where(a => !desired.Acls.Contains(a)).ToList();
        var staleAclNames = staleAcls.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var staleConditions = current.Conditions
            .Where(c => !desired.Conditions.Contains(c) || staleAclNames.Any(n => c.Statement.Contains(n, StringComparison.Ordinal)))
            .ToList();
        var staleConditionNames = staleConditions.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        bool Refers(string? condition) => condition is not null && staleConditionNames.Contains(condition);
        var staleResponses = current.ResponseObjects.Where(r => !desired.ResponseObjects.Contains(r) || Refers(r.RequestCondition)).ToList();
        var staleSettings = current.CacheSettings.Where(s => !desired.CacheSettings.Contains(s) || Refers(s.CacheCondition)).ToList();
        var staleBackends = current.Backends.Where(b => !desired.Backends.Contains(b) || Refers(b.RequestCondition)).ToList();
        var staleDomains = current.Domains.Where(d => !desired.Domains.Contains(d)).ToList();

        // Dependents before what they refer to: response objects, cache settings and backends name conditions.
        await DeleteAllAsync("response_object", staleResponses.Select(r => r.Name)).ConfigureAwait(false);
        await DeleteAllAsync("cache_settings", staleSettings.Select(x => x.Name)).ConfigureAwait(false);
        await DeleteAllAsync("backend", staleBackends.Select(b => b.Name)).ConfigureAwait(false);
        await DeleteAllAsync("condition", staleConditions.Select(c => c.Name)).ConfigureAwait(false);
        await DeleteAllAsync("acl", staleAcls.Select(a => a.Name)).ConfigureAwait(false);
        await DeleteAllAsync("domain", staleDomains.Select(d => d.Name)).ConfigureAwait(false);

        async Task DeleteAllAsync(string kind, IEnumerable<string> names)
        {
            foreach (var name in names)
            {
                await api.Objects.DeleteAsync(vendorId, version, kind, name, cancellationToken).ConfigureAwait(false);
            }
        }

        var kept = current.Domains.Except(staleDomains).ToList();
        foreach (var d in desired.Domains.Where(d => !kept.Contains(d)))
        {
            await api.Objects.CreateDomainAsync(vendorId, version, d, cancellationToken).ConfigureAwait(false);
        }

        var keptAcls = current.Acls.Except(staleAcls).ToList();
        foreach (var a in desired.Acls.Where(a => !keptAcls.Contains(a)))
        {
            var acl = await api.Objects.CreateAclAsync(vendorId, version, a.Name, cancellationToken).ConfigureAwait(false);
            if (a.Entries.Count > 0)
            {
                var aclId = acl.Id is { Length: > 0 } id ? id : throw reader.Malformed("create acl", "no acl id");
                await api.Acls.CreateEntriesAsync(vendorId, aclId, a.Entries, cancellationToken).ConfigureAwait(false);
            }
        }

        var keptConditions = current.Conditions.Except(staleConditions).ToList();
        foreach (var c in desired.Conditions.Where(c => !keptConditions.Contains(c)))
        {
            await api.Objects.CreateConditionAsync(vendorId, version, c, cancellationToken).ConfigureAwait(false);
        }

        var keptBackends = current.Backends.Except(staleBackends).ToList();
        foreach (var b in desired.Backends.Where(b => !keptBackends.Contains(b)))
        {
            await api.Objects.CreateBackendAsync(vendorId, version, b, cancellationToken).ConfigureAwait(false);
        }

        var keptSettings = current.CacheSettings.Except(staleSettings).ToList();
        foreach (var s in desired.CacheSettings.Where(s => !keptSettings.Contains(s)))
        {
            await api.Objects.CreateCacheSettingsAsync(vendorId, version, s, cancellationToken).ConfigureAwait(false);
        }

        var keptResponses = current.ResponseObjects.Except(staleResponses).ToList();
        foreach (var r in desired.ResponseObjects.Where(r => !keptResponses.Contains(r)))
        {
            await api.Objects.CreateResponseObjectAsync(vendorId, version, r, cancellationToken).ConfigureAwait(false);
        }

        if (desired.DefaultTtl is { } ttl && ttl != current.DefaultTtl)
        {
            await api.Versions.UpdateSettingsAsync(vendorId, version, ttl, cancellationToken).ConfigureAwait(false);
        }

        if (desired.VersionComment is { } comment && comment != current.VersionComment)
        {
            await api.Versions.UpdateCommentAsync(vendorId, version, comment, cancellationToken).ConfigureAwait(false);
        }
    }
}
