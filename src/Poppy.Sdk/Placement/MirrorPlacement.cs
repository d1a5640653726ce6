using Poppy.Sdk.Models;
using Poppy.Sdk.Operations;

namespace Poppy.Sdk.Placement;

/// <summary>
/// Mirror (Poppy's semantics): the service lives on every provider of the flavor, created or updated in
/// parallel; each provider's outcome is recorded on its own, and a partial failure leaves the others in place.
/// </summary>
internal sealed class MirrorPlacement : IPlacementStrategy
{
    public static readonly MirrorPlacement Instance = new();

    public async Task<IReadOnlyList<ProviderRun>> StartAsync(ServiceCoordinator coordinator, CdnService service, ServiceSpec spec, OperationKind kind, IReadOnlyList<string> flavorProviders, CancellationToken cancellationToken)
    {
        var runs = await Task.WhenAll(flavorProviders.Select(name => coordinator.StartOnProviderAsync(service, name, spec, cancellationToken))).ConfigureAwait(false);
        if (runs.All(r => r.Error is not null))
        {
            throw new CdnAllProvidersFailedException(OperationId.KindText(kind), runs.Select(r => new ProviderAttempt(r.Provider, r.Error!)).ToList());
        }

        return runs;
    }
}
