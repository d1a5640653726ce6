using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Catalog;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Models;
using Poppy.Sdk.Operations;
using Poppy.Sdk.Placement;
using Poppy.Sdk.Purge;
using Poppy.Sdk.Resilience;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk;

/// <content>The catalog: pending clean-ups and their retries, and rebuilding from the vendors.</content>
public partial class PoppyClient
{
    /// <summary>
    /// Lists every provider that may still hold a half-created resource of a service (a failover create moved on
    /// before the vendor confirmed its resource gone): the catalog's <see cref="CdnService.PendingCleanup"/> entries.
    /// </summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pending clean-ups.</returns>
    public virtual async IAsyncEnumerable<PendingCleanup> ListPendingCleanupsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var service in _coordinator.Catalog.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var provider in service.PendingCleanup)
            {
                yield return new PendingCleanup(service.ServiceId, provider);
            }
        }
    }

    /// <summary>
    /// Tries every pending clean-up again: looks the stamped service up on the provider and deletes what it finds.
    /// An entry leaves <see cref="CdnService.PendingCleanup"/> only when the vendor confirms nothing is left; a delete
    /// the vendor is still carrying out (CloudFront disables, waits, then deletes) stays pending and moves on at the
    /// next call.
    /// </summary>
    /// <param name="cancellationToken">Cancels the retries.</param>
    /// <returns>What happened to each entry.</returns>
    public virtual async Task<CleanupReport> RetryPendingCleanupsAsync(CancellationToken cancellationToken = default)
    {
        var removed = new List<PendingCleanup>();
        var inProgress = new List<PendingCleanup>();
        var failed = new List<(PendingCleanup, ProviderError)>();
        await foreach (var pending in ListPendingCleanupsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!_providers.TryGetValue(pending.Provider, out var layer))
            {
                failed.Add((pending, new ProviderError(CdnErrorCode.InvalidRequest.ToString(), $"No provider named '{pending.Provider}' is registered.")));
                continue;
            }

            var (done, error) = await _coordinator.RetryCleanupAsync(layer, pending.ServiceId, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                failed.Add((pending, ProviderError.FromException(error)));
            }
            else if (done)
            {
                removed.Add(pending);
            }
            else
            {
                inProgress.Add(pending);
            }
        }

        return new CleanupReport(removed, inProgress, failed.Select(f => new FailedCleanup(f.Item1, f.Item2)).ToList());
    }

    /// <summary>
    /// Rebuilds the catalog from the vendors: lists every provider's Poppy-stamped services (each page through the
    /// provider's resilience layer) and records them, merging with what the catalog already holds.
    /// </summary>
    /// <param name="cancellationToken">Cancels the rebuild.</param>
    /// <returns>How many services were found, and the providers that could not be listed.</returns>
    public virtual Task<CatalogRebuildReport> RebuildCatalogAsync(CancellationToken cancellationToken = default) =>
        RebuildIntoAsync(_coordinator.Writer, cancellationToken);

    /// <summary>
    /// Rebuilds a catalog from the vendors into <paramref name="target"/> (any store, for example a new SQLite or
    /// PostgreSQL catalog to move to): lists every provider's Poppy-stamped services, exactly as
    /// <see cref="RebuildCatalogAsync(CancellationToken)"/> does for the client's own catalog, and records them in the
    /// target, merging with what it already holds. The client's own catalog is not read or changed (unless it is
    /// <paramref name="target"/>).
    /// </summary>
    /// <param name="target">The catalog to record the services in.</param>
    /// <param name="cancellationToken">Cancels the rebuild.</param>
    /// <returns>How many services were found, and the providers that could not be listed.</returns>
    public virtual Task<CatalogRebuildReport> RebuildCatalogAsync(IServiceCatalog target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return RebuildIntoAsync(ReferenceEquals(target, _coordinator.Catalog) ? _coordinator.Writer : new CatalogWriter(target, _logger), cancellationToken);
    }

    private async Task<CatalogRebuildReport> RebuildIntoAsync(CatalogWriter writer, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (ServiceSpec Spec, List<ProviderServiceDetails> Details)>(StringComparer.Ordinal);
        var failures = new List<ProviderAttempt>();
        foreach (var layer in _providers.Values)
        {
            try
            {
                await foreach (var service in layer.ListServicesAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = service.Details.ServiceId;
                    if (!found.TryGetValue(id, out var entry))
                    {
                        entry = (service.Spec, []);
                        found[id] = entry;
                    }

                    entry.Details.Add(service.Details);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add(new ProviderAttempt(layer.Name, ex));
            }
        }

        foreach (var (id, (spec, details)) in found)
        {
            await writer.UpdateAsync(
                id,
                existing =>
                {
                    var merged = existing ?? new CdnService { ServiceId = id, Spec = spec };
                    foreach (var d in details)
                    {
                        merged = CatalogWriter.WithProvider(merged, d);
                    }

                    var order = _coordinator.FlavorOrder(merged);
                    return merged with { Providers = merged.Providers.OrderBy(p => order.Contains(p.Provider) ? order.ToList().IndexOf(p.Provider) : int.MaxValue).ToList() };
                },
                cancellationToken).ConfigureAwait(false);
        }

        Log.CatalogRebuilt(_logger, found.Count);
        return new CatalogRebuildReport(found.Count, failures);
    }
}
