using System.Runtime.CompilerServices;

namespace Poppy.Sdk;

/// <summary>A process-local catalog (lost on restart; rebuild it from the vendors). Thread-safe, versioned.</summary>
public sealed class InMemoryServiceCatalog : IServiceCatalog
{
    private readonly object _gate = new();
    private readonly Dictionary<string, CdnService> _services = new(StringComparer.Ordinal);

    /// <summary>How many services it holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _services.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<CdnService?> GetAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_services.TryGetValue(serviceId, out var s) ? s : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<CdnService> SaveAsync(CdnService service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var stored = _services.TryGetValue(service.ServiceId, out var current) ? current.Version : 0;
            if (stored != service.Version)
            {
                throw new CatalogConflictException(service.ServiceId, service.Version, stored);
            }

            var saved = service with { Version = stored + 1 };
            _services[service.ServiceId] = saved;
            return ValueTask.FromResult(saved);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string serviceId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_services.TryGetValue(serviceId, out var current))
            {
                return ValueTask.FromResult(false);
            }

            if (current.Version != expectedVersion)
            {
                throw new CatalogConflictException(serviceId, expectedVersion, current.Version);
            }

            _services.Remove(serviceId);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CdnService> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<CdnService> snapshot;
        lock (_gate)
        {
            snapshot = [.. _services.Values];
        }

        snapshot.Sort(static (a, b) => string.CompareOrdinal(a.ServiceId, b.ServiceId));
        foreach (var service in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return service;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
