using Poppy.Sdk.Models;

namespace Poppy.Sdk;

/// <summary>
/// A provider that passes every call to an inner provider: the base for provider middleware (the shape of
/// <c>DelegatingChatClient</c> in Microsoft.Extensions.AI). Override the members you need and call the base
/// for the rest; stack several to compose behaviours. The composite client wraps each registered provider in
/// its own resilience and telemetry layer the same way, so every call — including polls of the operations
/// returned — passes it. To wrap returned operations too, use <see cref="CdnOperation.WrapWith"/> with a
/// <see cref="DelegatingCdnOperation{T}"/>.
/// </summary>
public class DelegatingCdnProvider : ICdnProvider
{
    /// <summary>Wraps a provider.</summary>
    /// <param name="innerProvider">The provider to delegate to.</param>
    protected DelegatingCdnProvider(ICdnProvider innerProvider)
    {
        ArgumentNullException.ThrowIfNull(innerProvider);
        InnerProvider = innerProvider;
    }

    /// <summary>The provider every call is passed to.</summary>
    protected ICdnProvider InnerProvider { get; }

    /// <inheritdoc />
    public virtual string Name => InnerProvider.Name;

    /// <inheritdoc />
    public virtual CdnCapabilities Capabilities => InnerProvider.Capabilities;

    /// <inheritdoc />
    public virtual ProviderPlan PlanService(ServiceSpec spec) => InnerProvider.PlanService(spec);

    /// <inheritdoc />
    public virtual Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default) =>
        InnerProvider.CreateServiceAsync(serviceId, spec, cancellationToken);

    /// <inheritdoc />
    public virtual Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default) =>
        InnerProvider.UpdateServiceAsync(service, spec, cancellationToken);

    /// <inheritdoc />
    public virtual Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default) =>
        InnerProvider.DeleteServiceAsync(service, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default) =>
        InnerProvider.GetServiceAsync(service, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<ProviderService> ListServicesAsync(CancellationToken cancellationToken = default) =>
        InnerProvider.ListServicesAsync(cancellationToken);

    /// <inheritdoc />
    public virtual Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken = default) =>
        InnerProvider.PurgeAsync(service, request, cancellationToken);

    /// <inheritdoc />
    public virtual Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default) =>
        InnerProvider.ResumeOperationAsync(operationId, cancellationToken);

    /// <inheritdoc />
    public virtual Task VerifyAccessAsync(CancellationToken cancellationToken = default) =>
        InnerProvider.VerifyAccessAsync(cancellationToken);

    /// <summary>Finds the innermost provider of type <typeparamref name="TProvider"/> in a chain of delegating providers.</summary>
    /// <typeparam name="TProvider">The provider type wanted.</typeparam>
    /// <returns>The provider, or null when the chain has none of that type.</returns>
    public TProvider? GetInnerProvider<TProvider>()
        where TProvider : class, ICdnProvider
    {
        ICdnProvider current = this;
        while (true)
        {
            if (!ReferenceEquals(current, this) && current is TProvider match)
            {
                return match;
            }

            if (current is DelegatingCdnProvider delegating)
            {
                current = delegating.InnerProvider;
            }
            else
            {
                return null;
            }
        }
    }
}
