using Microsoft.Extensions.Logging;
using Poppy.Sdk.Fastly.Internal.Api;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Purges one batch (at most <see cref="CdnCapabilities.MaxPurgeBatchSize"/> items). URLs: a path is purged on every
/// domain of the service, a full URL on its own host; tags: one bulk call; all: <c>purge_all</c>. A refusal for rate
/// reasons is thrown as <see cref="CdnRateLimitedException"/> at once (the composite's purge operation paces and
/// resubmits); Fastly purges are idempotent, so a resubmitted batch does no harm and needs no idempotency key.
/// </summary>
internal sealed class FastlyPurger(FastlyApi api, FastlyServiceReader reader, CdnCapabilities capabilities, string providerName, ILogger logger)
{
    /// <summary>Every problem with a purge request on Fastly (nothing is sent when there is one).</summary>
    public List<ValidationProblem> Check(PurgeRequest request)
    {
        var problems = new List<ValidationProblem>(request.Validate());
        problems.AddRange(CapabilityChecker.CheckPurge(request, capabilities, providerName));
        if (request.Kind == PurgeKind.All && request.Mode == PurgeMode.Soft)
        {
            problems.Add(new ValidationProblem("/mode", "Fastly always purges everything hard; soft-purge a surrogate key that every object carries instead.") { Provider = providerName });
        }

        if (request.Items.Count > capabilities.MaxPurgeBatchSize)
        {
            problems.Add(new ValidationProblem("/items", $"{request.Items.Count} items, but one Fastly purge call takes at most {capabilities.MaxPurgeBatchSize}.") { Provider = providerName });
        }

        if (request.Kind == PurgeKind.Url)
        {
            for (var i = 0; i < request.Items.Count; i++)
            {
                var item = request.Items[i] ?? "";
                var path = item.StartsWith('/') ? item : Uri.TryCreate(item, UriKind.Absolute, out var u) ? u.OriginalString[(u.GetLeftPart(UriPartial.Authority).Length)..] : "";
                if (item.Contains('#', StringComparison.Ordinal) || path.Split('?')[0].Split('/').Any(s => s is "." or ".."))
                {
                    problems.Add(new ValidationProblem($"/items/{i}", $"'{item}' has a fragment or a '.'/'..' path segment, which would not purge the URL as written.") { Provider = providerName });
                }
            }
        }

        return problems;
    }

    /// <summary>Purges a checked request.</summary>
    public async Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken)
    {
        var found = await reader.FindAsync(service, cancellationToken).ConfigureAwait(false)
            ?? throw new CdnRequestFailedException(providerName, $"Fastly has no service for Poppy service '{service.ServiceId}'.", 404, CdnErrorCode.NotFound, isTransient: false);
        var vendorId = found.Id!;
        var soft = request.Mode == PurgeMode.Soft;
        var ids = new List<string>();
        var calls = 0;
        switch (request.Kind)
        {
            case PurgeKind.Url:
                List<string>? domains = null;
                foreach (var item in request.Items)
                {
                    if (item.StartsWith('/'))
                    {
                        domains ??= await reader.ReadDomainNamesAsync(found, cancellationToken).ConfigureAwait(false);
                        foreach (var domain in domains)
                        {
                            AddId(ids, await api.Purge.PurgeUrlAsync(domain + item, soft, cancellationToken).ConfigureAwait(false));
                            calls++;
                        }
                    }
                    else
                    {
                        var url = new Uri(item, UriKind.Absolute);
                        AddId(ids, await api.Purge.PurgeUrlAsync(url.Authority + url.PathAndQuery, soft, cancellationToken).ConfigureAwait(false));
                        calls++;
                    }
                }

                break;

            case PurgeKind.Tag:
                var purged = await api.Purge.PurgeKeysAsync(vendorId, request.Items, soft, cancellationToken).ConfigureAwait(false);
                calls++;
                foreach (var key in request.Items)
                {
                    AddId(ids, purged.TryGetValue(key, out var id) ? id : null);
                }

                break;

            default:
                await api.Purge.PurgeAllAsync(vendorId, cancellationToken).ConfigureAwait(false);
                calls++;
                break;
        }

        FastlyLog.Purged(logger, service.ServiceId, vendorId, request.Kind.ToString(), request.Items.Count, calls, soft);
        return new PurgeResult { Provider = providerName, Items = request.Items, VendorPurgeIds = ids, Completed = true };
    }

    private static void AddId(List<string> ids, string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            ids.Add(id);
        }
    }
}
