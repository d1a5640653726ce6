using Poppy.Sdk.Models;
using Poppy.Sdk.Operations;

namespace Poppy.Sdk.Placement;

/// <summary>
/// Where a flavor puts a service, one small strategy per <see cref="FlavorMode"/>: given the service as the
/// catalog holds it and the desired spec, it starts the create or update work on providers and returns each
/// provider's run. It never moves a service that is placed: an update changes the service where it is.
/// </summary>
internal interface IPlacementStrategy
{
    /// <summary>Starts the work.</summary>
    /// <param name="coordinator">Starts work on one provider and records outcomes.</param>
    /// <param name="service">The service as the catalog holds it.</param>
    /// <param name="spec">The desired spec (validated and planned).</param>
    /// <param name="kind">Create or update.</param>
    /// <param name="flavorProviders">The flavor's providers, in order.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>One run per provider involved.</returns>
    Task<IReadOnlyList<ProviderRun>> StartAsync(ServiceCoordinator coordinator, CdnService service, ServiceSpec spec, OperationKind kind, IReadOnlyList<string> flavorProviders, CancellationToken cancellationToken);

    /// <summary>The strategy of a mode.</summary>
    /// <param name="mode">The flavor's mode.</param>
    /// <returns>The strategy.</returns>
    static IPlacementStrategy For(FlavorMode mode) => mode switch
    {
        FlavorMode.Mirror => MirrorPlacement.Instance,
        FlavorMode.Failover => FailoverPlacement.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown flavor mode."),
    };
}
