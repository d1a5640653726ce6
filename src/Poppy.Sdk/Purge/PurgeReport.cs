using System.Globalization;
using System.Text;

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

    /// <summary>A readable summary: the provider, its batches, and each failure or unsupported reason.</summary>
    /// <returns>For example <c>cloudfront: 3 batches, 2 accepted, 1 failed (rate_limited: …)</c>.</returns>
    public override string ToString()
    {
        if (Unsupported is { } unsupported)
        {
            return $"{Provider}: unsupported ({string.Join("; ", unsupported.Select(p => $"{p.Path}: {p.Message}"))})";
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Provider}: {BatchCount} batch{(BatchCount == 1 ? "" : "es")}, {Succeeded.Count} accepted");
        if (Failed.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $", {Failed.Count} failed (");
            sb.AppendJoin("; ", Failed.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Error.Code}: {f.Error.Message} [{f.Items.Count} item{(f.Items.Count == 1 ? "" : "s")}]")));
            sb.Append(')');
        }

        return sb.ToString();
    }
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

    /// <summary>A readable summary: the service, the request, the outcome and each provider's report.</summary>
    /// <returns>For example <c>purge of service 'shop' (url, 3 items, hard): succeeded; fastly: 1 batch, 1 accepted</c>.</returns>
    public override string ToString()
    {
        var items = Request.Items.Count;
        var what = Request.Kind == PurgeKind.All
            ? $"all, {Request.Mode.ToString().ToLowerInvariant()}"
            : string.Create(CultureInfo.InvariantCulture, $"{Request.Kind.ToString().ToLowerInvariant()}, {items} item{(items == 1 ? "" : "s")}, {Request.Mode.ToString().ToLowerInvariant()}");
        var outcome = IsSuccess ? "succeeded" : Providers.Count == 0 ? "no provider" : "not complete";
        return Providers.Count == 0
            ? $"purge of service '{ServiceId}' ({what}): {outcome}"
            : $"purge of service '{ServiceId}' ({what}): {outcome}; {string.Join("; ", Providers)}";
    }
}
