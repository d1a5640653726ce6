namespace Poppy.Sdk;

/// <summary>How <see cref="PoppyClient.StartPurgeAsync"/> carries out a purge.</summary>
public sealed record PurgeOptions
{
    /// <summary>The providers to purge on (for example to retry only where a batch failed); null: every provider holding the service.</summary>
    public IReadOnlyList<string>? Providers { get; init; }

    /// <summary>Whether the operation completes only once each vendor reports its purges finished (CloudFront invalidations <c>Completed</c>), not just accepted. Default false.</summary>
    public bool WaitForVendorCompletion { get; init; }
}

/// <summary>Where a purge stands on one provider.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="TotalBatches">Vendor-sized batches the request was split into.</param>
/// <param name="AcceptedBatches">Batches the vendor accepted.</param>
/// <param name="FailedBatches">Batches that failed for good (see the report's errors).</param>
/// <param name="QueuedBatches">Batches waiting: for a token of the vendor account's budget, for room under the vendor's in-flight limits, or for a retry.</param>
public sealed record ProviderPurgeProgress(string Provider, int TotalBatches, int AcceptedBatches, int FailedBatches, int QueuedBatches)
{
    /// <inheritdoc />
    public override string ToString() => $"{Provider}: {AcceptedBatches}/{TotalBatches} accepted" + (FailedBatches > 0 ? $", {FailedBatches} failed" : "") + (QueuedBatches > 0 ? $", {QueuedBatches} queued" : "");
}
