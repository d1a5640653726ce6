namespace Poppy.Sdk;

/// <summary>
/// Where the composite client keeps each service's spec and per-provider details, with a version per entry
/// (optimistic concurrency): <see cref="SaveAsync"/> stores a service only when the stored version is still
/// <see cref="CdnService.Version"/>, otherwise it throws <see cref="CatalogConflictException"/> and the writer
/// re-reads and retries, so two writers never lose each other's updates. The default is in memory
/// (<see cref="InMemoryServiceCatalog"/>); it can be rebuilt from the vendors with
/// <see cref="PoppyClient.RebuildCatalogAsync(CancellationToken)"/>. Durable catalogs are separate packages.
/// </summary>
public interface IServiceCatalog
{
    /// <summary>Reads a service.</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service with its stored <see cref="CdnService.Version"/>, or null.</returns>
    ValueTask<CdnService?> GetAsync(string serviceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a service if the stored version is <paramref name="service"/>'s <see cref="CdnService.Version"/>
    /// (0: the service must not exist yet).
    /// </summary>
    /// <param name="service">The service, carrying the version it was read at.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service as stored, with its new version.</returns>
    /// <exception cref="CatalogConflictException">The stored version differs: someone else wrote first.</exception>
    ValueTask<CdnService> SaveAsync(CdnService service, CancellationToken cancellationToken = default);

    /// <summary>Removes a service if the stored version is <paramref name="expectedVersion"/>.</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="expectedVersion">The version it was read at.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it existed.</returns>
    /// <exception cref="CatalogConflictException">The stored version differs.</exception>
    ValueTask<bool> DeleteAsync(string serviceId, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Lists every service, ordered by id.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The services.</returns>
    IAsyncEnumerable<CdnService> ListAsync(CancellationToken cancellationToken = default);
}
