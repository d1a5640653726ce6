using Microsoft.Extensions.Logging;
using Poppy.Sdk.Fastly.Internal.Api;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Finds a Poppy service's Fastly service (by vendor id or by its deterministic name, checking the stamp) and reads a
/// version back into the neutral model, with the drift between the stamped manifest and what the version holds.
/// </summary>
internal sealed class FastlyServiceReader(FastlyApi api, FastlyTranslator translator, string providerName, ILogger logger)
{
    /// <summary>Finds the Fastly service of a Poppy service; null when there is none.</summary>
    /// <exception cref="CdnRequestFailedException">The service found is stamped for another Poppy service, or not at all (409).</exception>
    public async Task<FastlyServiceDto?> FindAsync(ServiceReference service, CancellationToken cancellationToken)
    {
        var found = service.VendorServiceId is { Length: > 0 } vendorId
            ? await api.Services.GetAsync(vendorId, cancellationToken).ConfigureAwait(false)
            : await api.Services.SearchAsync(FastlyTranslator.ServiceName(service.ServiceId), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        RequireStamp(found, service.ServiceId);
        return found;
    }

    /// <summary>The service with its versions (a search result may come without them).</summary>
    public async Task<FastlyServiceDto> WithVersionsAsync(FastlyServiceDto service, CancellationToken cancellationToken) =>
        service.Versions is not null
            ? service
            : await api.Services.GetAsync(service.Id!, cancellationToken).ConfigureAwait(false)
                ?? throw new CdnRequestFailedException(providerName, $"Fastly service '{service.Id}' disappeared.", 404, CdnErrorCode.NotFound, isTransient: false);

    /// <summary>The vendor id of a service stamped for <paramref name="serviceId"/>.</summary>
    public string RequireStamp(FastlyServiceDto service, string serviceId)
    {
        var id = service.Id is { Length: > 0 } v ? v : throw Malformed("get service", "no service id");
        var stamp = ServiceStamp.Parse(service.Comment);
        if (!string.Equals(stamp, serviceId, StringComparison.Ordinal))
        {
            throw new CdnRequestFailedException(
                providerName,
                stamp is null
                    ? $"Fastly service '{id}' ('{service.Name}') is not stamped as Poppy service '{serviceId}'; Poppy will not change a service it did not create."
                    : $"Fastly service '{id}' belongs to Poppy service '{stamp}', not '{serviceId}'.",
                409,
                CdnErrorCode.Conflict,
                isTransient: false);
        }

        return id;
    }

    /// <summary>Reads the objects Poppy manages in one version (all domains; backends, conditions, … named <c>poppy-*</c>).</summary>
    public async Task<FastlyConfig> ReadConfigAsync(string vendorId, int version, string? versionComment, CancellationToken cancellationToken)
    {
        var domains = await api.Objects.ListDomainsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var backends = await api.Objects.ListBackendsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var conditions = await api.Objects.ListConditionsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var cacheSettings = await api.Objects.ListCacheSettingsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var responses = await api.Objects.ListResponseObjectsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var settings = await api.Versions.GetSettingsAsync(vendorId, version, cancellationToken).ConfigureAwait(false);
        var acls = new List<AclObject>();
        foreach (var acl in await api.Objects.ListAclsAsync(vendorId, version, cancellationToken).ConfigureAwait(false))
        {
            if (acl.Name is { } name && FastlyTranslator.IsManaged(name) && acl.Id is { } aclId)
            {
                var entries = await api.Acls.ListEntriesAsync(vendorId, aclId, cancellationToken).ConfigureAwait(false);
                acls.Add(new AclObject(name, entries
                    .Where(e => e.Ip is not null)
                    .Select(e => FastlyTranslator.ParseAclEntry(e.Ip!) is { } parsed ? parsed with { Subnet = e.Subnet, Negated = e.Negated == true } : new AclEntryObject(e.Ip!, e.Subnet, e.Negated == true))
                    .ToList()));
            }
        }

        static bool Managed(string? name) => name is not null && FastlyTranslator.IsManaged(name);
        return new FastlyConfig
        {
            Domains = domains.Where(d => d.Name is not null).Select(d => new DomainObject(d.Name!)).ToList(),
            Backends = backends.Where(b => Managed(b.Name)).Select(b => new BackendObject(
                b.Name!,
                b.Address ?? b.Hostname ?? b.Ipv4 ?? b.Ipv6 ?? "",
                b.Port ?? 80,
                b.UseSsl == true,
                NullIfEmpty(b.SslCertHostname),
                NullIfEmpty(b.SslSniHostname),
                NullIfEmpty(b.OverrideHost),
                NullIfEmpty(b.RequestCondition))).ToList(),
            Conditions = conditions.Where(c => Managed(c.Name)).Select(c => new ConditionObject(c.Name!, c.Type ?? "", c.Statement ?? "", c.Priority ?? 100)).ToList(),
            CacheSettings = cacheSettings.Where(s => Managed(s.Name)).Select(s => new CacheSettingObject(s.Name!, s.Ttl ?? 0, s.Action ?? "", NullIfEmpty(s.CacheCondition))).ToList(),
            ResponseObjects = responses.Where(r => Managed(r.Name)).Select(r => new ResponseObject(r.Name!, r.Status ?? 200, r.Response ?? "", r.Content ?? "", r.ContentType ?? "", NullIfEmpty(r.RequestCondition))).ToList(),
            Acls = acls,
            DefaultTtl = settings.DefaultTtl,
            VersionComment = versionComment,
        };
    }

    /// <summary>
    /// Reads the active version (or the newest, while none is active) into the neutral model. <see cref="ProviderService.Drift"/>
    /// lists how it differs from the spec stamped in the version's manifest; empty when in sync or when there is no manifest.
    /// </summary>
    public async Task<ProviderService> ReadServiceAsync(string serviceId, FastlyServiceDto service, CancellationToken cancellationToken)
    {
        var vendorId = service.Id!;
        var versions = service.Versions ?? [];
        var active = versions.FirstOrDefault(v => v.Active == true && v.Number is not null);
        var shown = active ?? versions.Where(v => v.Number is not null).MaxBy(v => v.Number);
        ServiceSpec spec;
        IReadOnlyList<SpecDifference> differences = [];
        if (shown is null)
        {
            spec = new ServiceSpec { Name = service.Name ?? "" };
        }
        else
        {
            var config = await ReadConfigAsync(vendorId, shown.Number!.Value, shown.Comment, cancellationToken).ConfigureAwait(false);
            var (read, notes) = translator.FromFastly(config, service.Name ?? "");
            if (notes.Count > 0)
            {
                FastlyLog.Drift(logger, serviceId, vendorId, string.Join("; ", notes));
            }

            #region drift (docs/extending/writing-a-provider.md)
            if (SpecManifest.FromComment(shown.Comment) is { } desired)
            {
                differences = ServiceSpecComparer.Compare(desired, read);
            }
            #endregion

            spec = read;
        }

        #region read-back (docs/extending/writing-a-provider.md)
        var status = active is not null ? ProviderStatus.Deployed : ProviderStatus.CreateInProgress;
        return new ProviderService
        {
            Details = translator.Details(providerName, serviceId, vendorId, spec.Domains, status),
            Spec = spec,
            Drift = differences,
        };
        #endregion
    }

    /// <summary>The domain names of the active (or newest) version.</summary>
    public async Task<List<string>> ReadDomainNamesAsync(FastlyServiceDto service, CancellationToken cancellationToken)
    {
        service = await WithVersionsAsync(service, cancellationToken).ConfigureAwait(false);
        var versions = service.Versions ?? [];
        var version = versions.FirstOrDefault(v => v.Active == true && v.Number is not null) ?? versions.Where(v => v.Number is not null).MaxBy(v => v.Number);
        if (version is null)
        {
            return [];
        }

        var domains = await api.Objects.ListDomainsAsync(service.Id!, version.Number!.Value, cancellationToken).ConfigureAwait(false);
        return domains.Where(d => !string.IsNullOrEmpty(d.Name)).Select(d => d.Name!).ToList();
    }

    public CdnRequestFailedException Malformed(string operation, string what) =>
        new(providerName, $"Fastly {operation} returned an unexpected answer: {what}.", null, CdnErrorCode.MalformedResponse, isTransient: false);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
