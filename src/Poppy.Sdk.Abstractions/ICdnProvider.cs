using Poppy.Sdk.Models;

namespace Poppy.Sdk;

/// <summary>
/// Identifies a service on one provider: the Poppy service id (stamped on the vendor resource) and,
/// when known, the vendor's own id, which saves a look-up.
/// </summary>
/// <param name="ServiceId">The Poppy service id.</param>
/// <param name="VendorServiceId">The vendor's id, if known.</param>
public readonly record struct ServiceReference(string ServiceId, string? VendorServiceId = null);

/// <summary>
/// One CDN vendor account. Every method is asynchronous, takes a <see cref="CancellationToken"/> last,
/// and throws the SDK's exception vocabulary: <see cref="CdnRequestFailedException"/> (and
/// <see cref="CdnRateLimitedException"/>) for vendor failures, <see cref="CdnValidationException"/>
/// for specs it cannot honour — before any vendor call.
/// </summary>
public interface ICdnProvider
{
    /// <summary>The provider's registered name (for example <c>fastly</c>, or <c>fastly-eu</c> for a second account).</summary>
    string Name { get; }

    /// <summary>What this provider can honour.</summary>
    CdnCapabilities Capabilities { get; }

    /// <summary>
    /// Works out offline — synchronously, with no I/O — what this provider would do with a spec: it runs the
    /// provider's translator and returns either every problem it would raise (path, this provider, message, and
    /// the option or capability to change) or the vendor-native payloads it would send, with a one-line summary.
    /// The composite client's <c>Validate</c> runs it for every provider a spec can land on, and create and
    /// update run it before any vendor call, so a spec whose plan is valid never fails on the vendor for a reason
    /// knowable offline. Providers derive their vendor calls from this same translation.
    /// </summary>
    /// <param name="spec">A validated, normalised spec (see <see cref="Validation.ServiceSpecValidator"/>).</param>
    /// <returns>The plan.</returns>
    ProviderPlan PlanService(ServiceSpec spec);

    /// <summary>
    /// Provisions a service. The spec must be validated and normalised
    /// (<see cref="Validation.ServiceSpecValidator"/>). The vendor resource is stamped with
    /// <paramref name="serviceId"/>, so a retried create finds the resource it already made instead
    /// of creating a second one.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="spec">The desired state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>An operation that completes when the service is deployed.</returns>
    Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Brings an existing service to the full new spec (desired state, not a patch).</summary>
    /// <param name="service">Which service.</param>
    /// <param name="spec">The desired state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>An operation that completes when the change is deployed.</returns>
    Task<CdnOperation<ProviderServiceDetails>> UpdateServiceAsync(ServiceReference service, ServiceSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Deletes a service (deactivating or disabling it first where the vendor needs that). Deleting a service that does not exist completes at once.</summary>
    /// <param name="service">Which service.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>An operation that completes when the vendor resource is gone.</returns>
    Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default);

    /// <summary>Reads a service back from the vendor, or returns null when it does not exist (looked up by the stamped service id when no vendor id is given).</summary>
    /// <param name="service">Which service.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service, or null.</returns>
    Task<ProviderService?> GetServiceAsync(ServiceReference service, CancellationToken cancellationToken = default);

    /// <summary>Lists the services this provider holds that carry a Poppy stamp, paging lazily.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The services.</returns>
    IAsyncEnumerable<ProviderService> ListServicesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Purges one batch: at most <see cref="CdnCapabilities.MaxPurgeBatchSize"/> items of a kind
    /// this provider supports (the composite client splits and paces larger requests).
    /// </summary>
    /// <param name="service">Which service.</param>
    /// <param name="request">What to purge.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The vendor's answer.</returns>
    Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Resumes an operation from its <see cref="CdnOperation.Id"/> (for example after a restart).</summary>
    /// <param name="operationId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The operation; a create or update is a <see cref="CdnOperation{T}"/> of <see cref="ProviderServiceDetails"/>.</returns>
    /// <exception cref="ArgumentException">The id was not made by this provider (see <see cref="OperationId"/>).</exception>
    Task<CdnOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the cheapest authenticated read the vendor offers, to check that it answers and accepts the
    /// credentials (health checks call this). Completes when the vendor answered; throws the mapped error
    /// (for example <see cref="CdnRequestFailedException"/> with <see cref="CdnErrorCode.Unauthorized"/>) when not.
    /// The default reads the first item of <see cref="ListServicesAsync"/>; providers override it with a
    /// smaller read (Fastly: one service of the first page; CloudFront: <c>ListDistributions</c> with <c>MaxItems=1</c>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the vendor answered.</returns>
    async Task VerifyAccessAsync(CancellationToken cancellationToken = default)
    {
        var services = ListServicesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (services.ConfigureAwait(false))
        {
            await services.MoveNextAsync().ConfigureAwait(false);
        }
    }
}
