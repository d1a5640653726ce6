using System.Text.Json.Nodes;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>Finds a service's property (by vendor id or by its stamped name), reads it back into the neutral model, and reports drift.</summary>
internal sealed class AkamaiServiceReader(AkamaiAccount account)
{
    /// <summary>The service's property, or null when it has none.</summary>
    /// <exception cref="CdnRequestFailedException">409: the vendor id names a property that is not this service's.</exception>
    public async Task<PropertyItem?> FindAsync(ServiceReference service, CancellationToken cancellationToken)
    {
        if (service.VendorServiceId is { Length: > 0 } vendorId)
        {
            var byId = await account.Api.Properties.GetAsync(vendorId, cancellationToken).ConfigureAwait(false);
            if (byId is not null)
            {
                account.RequireOwned(service.ServiceId, byId);
                return byId;
            }
        }

        var name = AkamaiTranslator.PropertyName(service.ServiceId);
        var versions = await account.Api.Properties.FindByNameAsync(name, cancellationToken).ConfigureAwait(false);
        var propertyId = versions.FirstOrDefault(v => v.PropertyName == name && v.PropertyId is not null)?.PropertyId;
        return propertyId is null ? null : await account.Api.Properties.GetAsync(propertyId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version a read shows: the one active on the last configured network, else on another, else the latest.</summary>
    public int ShownVersion(PropertyItem property) =>
        account.Options.ActivationNetworks.Reverse().Select(n => n == "PRODUCTION" ? property.ProductionVersion : property.StagingVersion).FirstOrDefault(v => v is not null)
        ?? property.LatestVersion;

    /// <summary>The status of a property: deployed when its latest version is active on the last network; being created while no version is active there; otherwise being updated.</summary>
    public ProviderStatus Status(PropertyItem property)
    {
        var last = account.Options.ActivationNetworks[^1] == "PRODUCTION" ? property.ProductionVersion : property.StagingVersion;
        // Until some version is active on the last network the service is still being created (staging may be active already).
        return last == property.LatestVersion ? ProviderStatus.Deployed
            : last is null ? ProviderStatus.CreateInProgress
            : ProviderStatus.UpdateInProgress;
    }

    /// <summary>Reads a property back: its shown version's rules and hostnames, the spec they describe, and the drift from the stamped manifest.</summary>
    public async Task<ProviderService> ReadServiceAsync(string? serviceId, PropertyItem property, CancellationToken cancellationToken)
    {
        var propertyId = property.PropertyId!;
        var version = ShownVersion(property);
        var rules = await account.Api.Versions.GetRulesAsync(propertyId, version, cancellationToken).ConfigureAwait(false);
        var hostnames = await account.Api.Versions.GetHostnamesAsync(propertyId, version, cancellationToken).ConfigureAwait(false);
        var tree = rules.Rules ?? [];
        serviceId ??= AkamaiReadBack.Stamp(tree) ?? property.PropertyName ?? propertyId;
        var manifest = AkamaiReadBack.Manifest(tree);
        var items = hostnames.Hostnames?.Items ?? [];
        ServiceSpec spec;
        IReadOnlyList<SpecDifference> drift = [];
        if (manifest is not null && MatchesManifest(serviceId, manifest, tree, items))
        {
            spec = manifest;
        }
        else
        {
            spec = AkamaiReadBack.Read(tree, items, manifest);
            if (manifest is not null)
            {
                drift = ServiceSpecComparer.Compare(manifest, spec);
                if (drift.Count > 0)
                {
                    AkamaiLog.Drift(account.Logger, serviceId, propertyId, string.Join("; ", drift));
                }
            }
        }

        return new ProviderService
        {
            Details = Details(serviceId, propertyId, spec.Domains, items, Status(property)),
            Spec = spec,
            Drift = drift,
        };
    }

    /// <summary>The details of a version once deployed (access URLs and certificate statuses from its hostnames).</summary>
    public async Task<ProviderServiceDetails> DetailsAsync(string? serviceId, string propertyId, int version, ProviderStatus status, CancellationToken cancellationToken)
    {
        var hostnames = await account.Api.Versions.GetHostnamesAsync(propertyId, version, cancellationToken).ConfigureAwait(false);
        var items = hostnames.Hostnames?.Items ?? [];
        if (serviceId is null)
        {
            var rules = await account.Api.Versions.GetRulesAsync(propertyId, version, cancellationToken).ConfigureAwait(false);
            serviceId = AkamaiReadBack.Stamp(rules.Rules) ?? propertyId;
        }

        var domains = items.Select(h => new DomainSpec(h.CnameFrom, h.CertProvisioningType == "DEFAULT" ? DomainProtocol.Https : DomainProtocol.Http)).ToList();
        return Details(serviceId, propertyId, domains, items, status);
    }

    /// <summary>The details of a service: one access URL per domain (its edge hostname) and each HTTPS domain's certificate status.</summary>
    public ProviderServiceDetails Details(string serviceId, string propertyId, IReadOnlyList<DomainSpec> domains, IReadOnlyList<HostnameItem> hostnames, ProviderStatus status)
    {
        var certificates = new Dictionary<string, CertificateStatus>(StringComparer.Ordinal);
        var urls = new List<AccessUrl>();
        foreach (var domain in domains)
        {
            var item = hostnames.FirstOrDefault(h => string.Equals(h.CnameFrom, domain.Domain, StringComparison.OrdinalIgnoreCase));
            urls.Add(new AccessUrl(domain.Domain, item?.CnameTo ?? account.Translator.EdgeHostname(serviceId)));
            if (domain.Protocol == DomainProtocol.Https)
            {
                certificates[domain.Domain] = Certificate(item?.CertStatus, account.Options.ActivationNetworks[^1]);
            }
        }

        return new ProviderServiceDetails
        {
            Provider = account.Name,
            ServiceId = serviceId,
            VendorServiceId = propertyId,
            Status = status,
            AccessUrls = urls,
            CertificateStatuses = certificates,
        };
    }

    /// <summary>The certificate status PAPI reports for a hostname on a network (Secure by Default certificates; CPS ones are not reported here).</summary>
    public static CertificateStatus Certificate(CertStatus? status, string network)
    {
        var list = network == "PRODUCTION" ? status?.Production : status?.Staging;
        return (list is { Count: > 0 } ? list[0] : null)?.Status?.ToUpperInvariant() switch
        {
            null => CertificateStatus.None,
            "DEPLOYED" or "ACTIVE" => CertificateStatus.Deployed,
            "FAILED" or "ERROR" or "EXPIRED" => CertificateStatus.Failed,
            "CANCELLED" or "CANCELED" => CertificateStatus.Cancelled,
            _ => CertificateStatus.CreateInProgress,
        };
    }

    /// <summary>Whether the deployed rule tree and hostnames are exactly what the manifest would produce (then the manifest is the spec, names and all).</summary>
    private bool MatchesManifest(string serviceId, ServiceSpec manifest, JsonObject tree, IReadOnlyList<HostnameItem> hostnames)
    {
        if (account.Translator.Problems(manifest).Count > 0)
        {
            return false;
        }

        var expected = account.Translator.Rules(serviceId, manifest, AkamaiReadBack.CpCode(tree));
        var expectedHosts = account.Translator.Hostnames(serviceId, manifest);
        return JsonNode.DeepEquals(expected, tree)
            && expectedHosts.Count == hostnames.Count
            && expectedHosts.All(e => hostnames.Any(h => string.Equals(h.CnameFrom, e.CnameFrom, StringComparison.OrdinalIgnoreCase) && h.CertProvisioningType == e.CertProvisioningType));
    }
}
