using System.Globalization;

namespace Poppy.Sdk;

/// <summary>A provider that may still hold a half-created resource of a service.</summary>
/// <param name="ServiceId">The Poppy service id.</param>
/// <param name="Provider">The provider's name.</param>
public sealed record PendingCleanup(string ServiceId, string Provider);

/// <summary>A clean-up that could not be carried out.</summary>
/// <param name="Cleanup">Which one.</param>
/// <param name="Error">Why.</param>
public sealed record FailedCleanup(PendingCleanup Cleanup, ProviderError Error);

/// <summary>The outcome of <see cref="PoppyClient.RetryPendingCleanupsAsync"/>.</summary>
/// <param name="Removed">Confirmed gone at the vendor, and dropped from the catalog.</param>
/// <param name="InProgress">The vendor is removing them; still pending until it confirms.</param>
/// <param name="Failed">Still pending: the provider could not be reached or refused.</param>
public sealed record CleanupReport(IReadOnlyList<PendingCleanup> Removed, IReadOnlyList<PendingCleanup> InProgress, IReadOnlyList<FailedCleanup> Failed)
{
    /// <summary>Whether nothing is pending any more.</summary>
    public bool IsComplete => InProgress.Count == 0 && Failed.Count == 0;

    /// <inheritdoc />
    public override string ToString() => $"{Removed.Count} removed, {InProgress.Count} in progress, {Failed.Count} failed";
}

/// <summary>The outcome of <see cref="PoppyClient.RebuildCatalogAsync(CancellationToken)"/>.</summary>
/// <param name="ServiceCount">Services found and recorded.</param>
/// <param name="Failures">Providers that could not be listed (their services may be missing).</param>
public sealed record CatalogRebuildReport(int ServiceCount, IReadOnlyList<ProviderAttempt> Failures)
{
    /// <summary>A readable summary: how many services were recorded, and which providers could not be listed and why.</summary>
    /// <returns>For example <c>2 services recorded; 1 provider could not be listed: b (Vendor down.)</c>.</returns>
    public override string ToString()
    {
        var recorded = string.Create(CultureInfo.InvariantCulture, $"{ServiceCount} service{(ServiceCount == 1 ? "" : "s")} recorded");
        return Failures.Count == 0
            ? recorded + "; every provider listed"
            : string.Create(CultureInfo.InvariantCulture, $"{recorded}; {Failures.Count} provider{(Failures.Count == 1 ? "" : "s")} could not be listed: {string.Join("; ", Failures.Select(f => $"{f.Provider} ({f.Exception.Message})"))}");
    }
}
