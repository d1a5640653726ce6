using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Poppy.Sdk;

/// <summary>
/// Where the composite client keeps each service's spec and per-provider details. The default is
/// in memory (<see cref="InMemoryServiceCatalog"/>); it can be rebuilt from the vendors with
/// <see cref="PoppyClient.RebuildCatalogAsync"/>. Durable catalogs are separate packages.
/// </summary>
public interface IServiceCatalog
{
    /// <summary>Reads a service.</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service, or null.</returns>
    ValueTask<CdnService?> GetAsync(string serviceId, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces a service.</summary>
    /// <param name="service">The service.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    ValueTask SaveAsync(CdnService service, CancellationToken cancellationToken = default);

    /// <summary>Removes a service.</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it existed.</returns>
    ValueTask<bool> DeleteAsync(string serviceId, CancellationToken cancellationToken = default);

    /// <summary>Lists every service.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The services.</returns>
    IAsyncEnumerable<CdnService> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>A process-local catalog (lost on restart; rebuild it from the vendors).</summary>
public sealed class InMemoryServiceCatalog : IServiceCatalog
{
    private readonly ConcurrentDictionary<string, CdnService> _services = new(StringComparer.Ordinal);

    /// <summary>How many services it holds.</summary>
    public int Count => _services.Count;

    /// <inheritdoc />
    public ValueTask<CdnService?> GetAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_services.TryGetValue(serviceId, out var s) ? s : null);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(CdnService service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        cancellationToken.ThrowIfCancellationRequested();
        _services[service.ServiceId] = service;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_services.TryRemove(serviceId, out _));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CdnService> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var service in _services.Values.OrderBy(s => s.ServiceId, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return service;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
