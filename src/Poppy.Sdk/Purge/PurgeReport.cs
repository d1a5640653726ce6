namespace Poppy.Sdk;

/// <summary>What one provider did with a purge.</summary>
public sealed record ProviderPurgeReport
{
    /// <summary>The provider's name.</summary>
    public required string Provider { get; init; }

    /// <summary>Batches sent and accepted.</summary>
    public IReadOnlyList<PurgeResult> Succeeded { get; init; } = [];

    /// <summary>Items of batches that failed (to retry), with the error of each batch.</summary>
    public IReadOnlyList<FailedPurgeBatch> Failed { get; init; } = [];

    /// <summary>Why the provider could not take this purge at all (unsupported kind or mode); null otherwise.</summary>
    public IReadOnlyList<ValidationProblem>? Unsupported { get; init; }

    /// <summary>Whether every item was accepted by the vendor.</summary>
    public bool IsSuccess => Unsupported is null && Failed.Count == 0;

    /// <summary>How many vendor calls were made.</summary>
    public int BatchCount => Succeeded.Count + Failed.Count;
}

/// <summary>A purge batch the vendor did not accept.</summary>
/// <param name="Items">The items it carried.</param>
/// <param name="Error">What went wrong.</param>
public sealed record FailedPurgeBatch(IReadOnlyList<string> Items, ProviderError Error);

/// <summary>The outcome of a purge across every provider holding the service.</summary>
public sealed record PurgeReport
{
    /// <summary>The Poppy service id.</summary>
    public required string ServiceId { get; init; }

    /// <summary>The request as given.</summary>
    public required PurgeRequest Request { get; init; }

    /// <summary>One report per provider.</summary>
    public IReadOnlyList<ProviderPurgeReport> Providers { get; init; } = [];

    /// <summary>Whether every provider accepted every item.</summary>
    public bool IsSuccess => Providers.Count > 0 && Providers.All(p => p.IsSuccess);
}
