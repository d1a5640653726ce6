namespace Poppy.Sdk.Operations;

/// <summary>One provider's share of a service operation.</summary>
internal sealed class ProviderRun
{
    public ProviderRun(string provider, OperationKind kind, CdnOperation? operation, Exception? error)
    {
        Provider = provider;
        Kind = kind;
        Operation = operation;
        Error = error;
        Done = operation is null || (operation.HasCompleted && error is not null);
    }

    public string Provider { get; }

    public OperationKind Kind { get; }

    public CdnOperation? Operation { get; }

    public Exception? Error { get; set; }

    public bool Done { get; set; }

    public int PollFailures { get; set; }

    /// <summary>Whether this run removes a half-created resource of a failover create (its failure leaves the provider in <see cref="CdnService.PendingCleanup"/> and does not fail the operation).</summary>
    public bool IsCleanup { get; init; }

    /// <summary>For a failover create: the flavor order and where this provider stands in it.</summary>
    public FailoverPosition? Failover { get; init; }
}

/// <summary>Where a failover create stands: the flavor's order, this provider's index, and the attempts so far.</summary>
/// <param name="Order">The flavor's providers, in order.</param>
/// <param name="Index">This provider's index in <paramref name="Order"/>.</param>
/// <param name="Attempts">Earlier providers' failures.</param>
internal sealed record FailoverPosition(IReadOnlyList<string> Order, int Index, List<ProviderAttempt> Attempts);

/// <summary>What a <see cref="ServiceOperation"/> needs from the client that started it: the catalog, and the decisions on each provider's outcome.</summary>
internal interface IServiceOperationHost
{
    TimeProvider Time { get; }

    IServiceCatalog Catalog { get; }

    /// <summary>A provider finished its share: record it (or, for a delete, drop the provider: the vendor confirmed it is gone).</summary>
    Task OnSucceededAsync(string serviceId, ProviderRun run, CancellationToken cancellationToken);

    /// <summary>
    /// A provider's share failed: record it. A failover create may continue on the next provider: the first run
    /// returned replaces <paramref name="run"/>, and any further runs are clean-ups to follow. Otherwise the run is
    /// returned done with its error.
    /// </summary>
    Task<IReadOnlyList<ProviderRun>> OnFailedAsync(string serviceId, ProviderRun run, Exception error, CancellationToken cancellationToken);

    /// <summary>Every provider of a delete finished: remove the service when nothing is left of it.</summary>
    Task OnDeleteFinishedAsync(string serviceId, CancellationToken cancellationToken);
}
