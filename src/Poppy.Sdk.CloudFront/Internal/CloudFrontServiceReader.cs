using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Finds a Poppy service's distribution (by id, or by the comment stamp: CloudFront has no search) and reads it back into
/// the neutral model — tags (stamp and manifest), the live function — with the drift between the stamped manifest and
/// what the distribution holds.
/// </summary>
internal sealed class CloudFrontServiceReader(CloudFrontAccount account, CloudFrontTranslator translator)
{
    /// <summary>The page size of distribution lists (CloudFront's maximum).</summary>
    public const int ListPageSize = 100;

    /// <summary>Finds the distribution of a Poppy service: by id when known, else by its comment stamp; null when there is none.</summary>
    /// <exception cref="CdnRequestFailedException">The distribution found belongs to another service, or not to Poppy (409).</exception>
    public async Task<Distribution?> FindAsync(ServiceReference service, CancellationToken cancellationToken)
    {
        var id = service.VendorServiceId is { Length: > 0 } known ? known : (await FindByStampAsync(service.ServiceId, cancellationToken).ConfigureAwait(false))?.Id;
        if (id is null)
        {
            return null;
        }

        var found = await account.Api.Distributions.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (found is not null)
        {
            account.RequireOwned(service.ServiceId, id, found.Value.Config);
        }

        return found?.Value;
    }

    /// <summary>Pages through the distributions until one's comment stamps the service id.</summary>
    public async Task<DistributionSummary?> FindByStampAsync(string serviceId, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var page = await account.Api.Distributions.ListAsync(marker, ListPageSize, cancellationToken).ConfigureAwait(false);
            if (page.Items.FirstOrDefault(s => CloudFrontTranslator.StampMatches(s.Comment, serviceId)) is { } match)
            {
                return match;
            }

            marker = page.IsTruncated ? page.NextMarker : null;
        }
        while (marker is not null);
        return null;
    }

    /// <summary>Reads a distribution back: its tags, its live function, the spec and its drift, and the provider status.</summary>
    public async Task<ProviderService> ReadServiceAsync(string serviceId, Distribution distribution, CancellationToken cancellationToken)
    {
        var tags = distribution.Arn.Length == 0 ? [] : await account.Api.Tags.ListAsync(distribution.Arn, cancellationToken).ConfigureAwait(false);
        var manifest = CloudFrontTranslator.ReadManifest(tags);
        RestrictionProgram? program = null;
        if (CloudFrontTranslator.AssociatedFunctionName(distribution.Config) is { } name
            && await account.Api.Functions.GetCodeAsync(name, "LIVE", cancellationToken).ConfigureAwait(false) is { } code)
        {
            program = ViewerRequestFunction.Read(code);
        }

        var (spec, drift) = translator.ReadBack(serviceId, distribution, manifest, program);
        if (drift.Count > 0)
        {
            CloudFrontLog.Drift(account.Logger, serviceId, distribution.Id, string.Join("; ", drift.Take(5)));
        }

        var status = distribution.Status == "Deployed" ? ProviderStatus.Deployed
            : !distribution.Config.Enabled ? ProviderStatus.DeleteInProgress
            : CloudFrontServiceWriter.IsFirstDeployment(tags) ? ProviderStatus.CreateInProgress
            : ProviderStatus.UpdateInProgress;
        return new ProviderService { Details = Details(serviceId, distribution, spec.Domains, status), Spec = spec, Drift = drift };
    }

    /// <summary>The provider's view of a distribution: its id, status, one access URL per domain (the distribution's name) and certificate statuses.</summary>
    public ProviderServiceDetails Details(string serviceId, Distribution distribution, IReadOnlyList<DomainSpec> domains, ProviderStatus status)
    {
        var certificates = new Dictionary<string, CertificateStatus>(StringComparer.Ordinal);
        foreach (var domain in domains.Where(d => d.Protocol == DomainProtocol.Https))
        {
            certificates[domain.Domain] = status == ProviderStatus.Deployed ? CertificateStatus.Deployed : CertificateStatus.CreateInProgress;
        }

        return new ProviderServiceDetails
        {
            Provider = account.Name,
            ServiceId = serviceId,
            VendorServiceId = distribution.Id,
            Status = status,
            AccessUrls = domains.Select(d => new AccessUrl(d.Domain, distribution.DomainName)).ToList(),
            CertificateStatuses = certificates,
        };
    }
}
