using Microsoft.Extensions.Logging;
using Poppy.Sdk.Internal;

namespace Poppy.Sdk.Catalog;

/// <summary>
/// The one place the composite client writes the catalog: read, apply a change, save with the version read,
/// and on a <see cref="CatalogConflictException"/> read again and re-apply — so concurrent writers (other
/// operations of this client, or other processes sharing a durable catalog) never lose an update, and no
/// per-service lock is needed.
/// </summary>
internal sealed class CatalogWriter(IServiceCatalog catalog, ILogger logger)
{
    private const int MaxAttempts = 64;

    public IServiceCatalog Catalog { get; } = catalog;

    /// <summary>Applies <paramref name="change"/> to the stored service (null when absent); returning null removes it, returning the same instance writes nothing.</summary>
    /// <param name="serviceId">The service.</param>
    /// <param name="change">A pure function of the stored state: it may run more than once.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The service as stored afterwards (null when absent).</returns>
    public async Task<CdnService?> UpdateAsync(string serviceId, Func<CdnService?, CdnService?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await Catalog.GetAsync(serviceId, cancellationToken).ConfigureAwait(false);
            var after = change(before);
            try
            {
                if (ReferenceEquals(before, after))
                {
                    return before;
                }

                if (after is null)
                {
                    await Catalog.DeleteAsync(serviceId, before!.Version, cancellationToken).ConfigureAwait(false);
                    return null;
                }

                var saved = await Catalog.SaveAsync(after with { Version = before?.Version ?? 0 }, cancellationToken).ConfigureAwait(false);
                if (before is null || before.Status != saved.Status)
                {
                    Log.ServiceStatusChanged(logger, serviceId, saved.Status.ToString());
                }

                return saved;
            }
            catch (CatalogConflictException) when (attempt < MaxAttempts)
            {
                // Someone else wrote first: read their version and apply the change to it.
            }
        }
    }

    /// <summary>
    /// Records one provider's details on the service (replacing its earlier record), keeping flavor order. A provider on
    /// record leaves <see cref="CdnService.PendingCleanup"/>: what it holds is the service's now (a retried create found
    /// the stamp there), and a delete reaches it through the record.
    /// </summary>
    public Task<CdnService?> RecordAsync(string serviceId, ProviderServiceDetails details, Func<CdnService, IReadOnlyList<string>> flavorOrder, CancellationToken cancellationToken) =>
        UpdateAsync(
            serviceId,
            s => s is null ? null
                : InOrder(WithProvider(s.PendingCleanup.Contains(details.Provider) ? s with { PendingCleanup = s.PendingCleanup.Where(p => p != details.Provider).ToList() } : s, details), flavorOrder(s)),
            cancellationToken);

    /// <summary>Removes one provider's record (the vendor confirmed the resource is gone).</summary>
    public Task<CdnService?> RemoveProviderAsync(string serviceId, string provider, CancellationToken cancellationToken) =>
        UpdateAsync(
            serviceId,
            s => s is null || (s.Providers.All(p => p.Provider != provider) && !s.PendingCleanup.Contains(provider)) ? s
                : s with { Providers = s.Providers.Where(p => p.Provider != provider).ToList(), PendingCleanup = s.PendingCleanup.Where(p => p != provider).ToList() },
            cancellationToken);

    /// <summary>Records that a provider may hold a resource of the service that still has to be removed.</summary>
    public Task<CdnService?> AddPendingCleanupAsync(string serviceId, string provider, CancellationToken cancellationToken) =>
        UpdateAsync(
            serviceId,
            s => s is null || s.PendingCleanup.Contains(provider) ? s
                : s with { Providers = s.Providers.Where(p => p.Provider != provider).ToList(), PendingCleanup = [.. s.PendingCleanup, provider] },
            cancellationToken);

    public static CdnService WithProvider(CdnService service, ProviderServiceDetails details)
    {
        var list = new List<ProviderServiceDetails>(service.Providers.Count + 1);
        var replaced = false;
        foreach (var p in service.Providers)
        {
            if (p.Provider == details.Provider)
            {
                list.Add(details);
                replaced = true;
            }
            else
            {
                list.Add(p);
            }
        }

        if (!replaced)
        {
            list.Add(details);
        }

        return service with { Providers = list };
    }

    private static CdnService InOrder(CdnService service, IReadOnlyList<string> order)
    {
        if (service.Providers.Count < 2 || order.Count == 0)
        {
            return service;
        }

        return service with { Providers = service.Providers.OrderBy(p => IndexOf(order, p.Provider)).ToList() };

        static int IndexOf(IReadOnlyList<string> order, string name)
        {
            for (var i = 0; i < order.Count; i++)
            {
                if (order[i] == name)
                {
                    return i;
                }
            }

            return int.MaxValue;
        }
    }
}
