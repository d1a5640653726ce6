using Microsoft.Extensions.Logging;
using Poppy.Sdk.Cloudflare.Internal.Api;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// Purges one batch with <c>purge_cache</c>, scoped to the service: URLs (a path on every domain of the service, a full
/// URL only on one of them) as <c>files</c>; prefixes as <c>host/path</c> per domain (no scheme); tags; hosts (only the
/// service's); everything as the service's hosts, never the whole zone. A batch that expands past Cloudflare's per-call
/// limit is sent in several calls. A refusal for rate reasons is thrown as <see cref="CdnRateLimitedException"/> at once;
/// purges are idempotent, so a resubmitted batch does no harm.
/// </summary>
internal sealed class CloudflarePurger(CloudflareApi api, CloudflareServiceReader reader, CdnCapabilities capabilities, CloudflareCdnProviderOptions options, int urlsPerCall, ILogger logger)
{
    /// <summary>Every problem with a purge request (nothing is sent when there is one).</summary>
    public List<ValidationProblem> Check(PurgeRequest request)
    {
        var problems = new List<ValidationProblem>(request.Validate());
        problems.AddRange(CapabilityChecker.CheckPurge(request, capabilities, options.Name));
        if (request.Items.Count > capabilities.MaxPurgeBatchSize)
        {
            problems.Add(new ValidationProblem("/items", $"{request.Items.Count} items, but one Cloudflare purge takes at most {capabilities.MaxPurgeBatchSize}.") { Provider = options.Name });
        }

        return problems;
    }

    /// <summary>Purges a checked request.</summary>
    public async Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken)
    {
        var hostnames = await reader.ScanAsync(service.ServiceId, cancellationToken).ConfigureAwait(false);
        if (hostnames.Count == 0)
        {
            throw new CdnRequestFailedException(options.Name, $"Cloudflare has no custom hostname for Poppy service '{service.ServiceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);
        }

        var domains = hostnames.Select(h => h.Hostname!).Where(h => h is not null).ToList();
        var problems = new List<ValidationProblem>();
        var (field, items, perCall) = request.Kind switch
        {
            PurgeKind.Url => ("files", Urls(request.Items, domains, problems), urlsPerCall),
            PurgeKind.Prefix => ("prefixes", request.Items.SelectMany(p => domains.Select(d => d + p)).ToList(), PurgeClient.MaxItemsPerCall),
            PurgeKind.Tag => ("tags", request.Items.ToList(), PurgeClient.MaxItemsPerCall),
            PurgeKind.Host => ("hosts", Hosts(request.Items, domains, problems), PurgeClient.MaxItemsPerCall),
            _ => ("hosts", domains, PurgeClient.MaxItemsPerCall),
        };
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems, CdnValidationException.PurgeRequestSubject);
        }

        var ids = new List<string>();
        var batches = new List<PurgeBatchResult>();
        foreach (var chunk in items.Chunk(perCall))
        {
            var id = await api.Purge.PurgeAsync(field, chunk, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(id))
            {
                ids.Add(id);
            }

            batches.Add(new PurgeBatchResult(id, chunk, Completed: true));
        }

        CloudflareLog.Purged(logger, service.ServiceId, request.Kind.ToString(), request.Items.Count, batches.Count);
        return new PurgeResult
        {
            Provider = options.Name,
            Items = request.Items,
            VendorPurgeIds = ids,
            Completed = true,
            Batches = batches,
            Emulation = request.Mode == PurgeMode.Soft ? "soft purge carried out as a hard purge (Cloudflare has no soft purge; TreatSoftPurgeAsHard)"
                : request.Kind == PurgeKind.All ? "purge everything as a purge of the service's hosts" : null,
        };
    }

    private List<string> Urls(IReadOnlyList<string> items, List<string> domains, List<ValidationProblem> problems)
    {
        var urls = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.StartsWith('/'))
            {
                urls.AddRange(domains.Select(d => "https://" + d + item));
                continue;
            }

            var uri = new Uri(item, UriKind.Absolute);
            if (!domains.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new ValidationProblem($"/items/{i}", $"'{item}' is not on a domain of this service; a purge is scoped to the service's domains.") { Provider = options.Name });
                continue;
            }

            urls.Add(item);
        }

        return urls;
    }

    private List<string> Hosts(IReadOnlyList<string> items, List<string> domains, List<ValidationProblem> problems)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (!domains.Contains(items[i], StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new ValidationProblem($"/items/{i}", $"'{items[i]}' is not a domain of this service; a purge is scoped to the service's domains.") { Provider = options.Name });
            }
        }

        return items.Select(i => i.ToLowerInvariant()).ToList();
    }
}
