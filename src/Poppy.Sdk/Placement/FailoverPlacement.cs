using Poppy.Sdk.Models;
using Poppy.Sdk.Operations;

namespace Poppy.Sdk.Placement;

/// <summary>
/// Failover: a new service is placed on the first provider of the flavor that accepts it; a transient failure
/// (or an open circuit) moves to the next, after making sure nothing was half-created. A placed service is
/// changed where it is — a failed update leaves the holder holding it (failed, with its error) and a retry
/// converges it there; moving a service is never a side effect of an update.
/// </summary>
internal sealed class FailoverPlacement : IPlacementStrategy
{
    public static readonly FailoverPlacement Instance = new();

    public async Task<IReadOnlyList<ProviderRun>> StartAsync(ServiceCoordinator coordinator, CdnService service, ServiceSpec spec, OperationKind kind, IReadOnlyList<string> flavorProviders, CancellationToken cancellationToken)
    {
        // A holder: the vendor has (or is making) the resource. Records of create attempts that failed before the
        // vendor made anything hold nothing: such a service is placed again, from the first provider.
        var holders = service.Providers.Where(p => flavorProviders.Contains(p.Provider) && (p.VendorServiceId is not null || p.Status != ProviderStatus.Failed)).ToList();
        if (holders.Count > 0)
        {
            var runs = new List<ProviderRun>(holders.Count);
            foreach (var holder in holders)
            {
                var run = await coordinator.StartOnProviderAsync(service, holder.Provider, spec, cancellationToken).ConfigureAwait(false);
                if (run.Error is not null)
                {
                    throw run.Error;
                }

                runs.Add(run);
            }

            return runs;
        }

        var cleanups = new List<ProviderRun>();
        var placed = await coordinator.PlaceWithFailoverAsync(service.ServiceId, spec, flavorProviders, 0, [], cleanups, cancellationToken).ConfigureAwait(false);
        return [placed, .. cleanups];
    }
}
