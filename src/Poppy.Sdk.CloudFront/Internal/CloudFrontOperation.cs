namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// A CloudFront operation: each poll asks CloudFront where things stand (a distribution's <c>Status</c>,
/// an invalidation's) and, for a delete, takes the next step. Its id names everything needed to resume it
/// after a restart (see <see cref="CloudFrontOperationId"/>).
/// </summary>
internal sealed class CloudFrontOperation<T> : CdnOperation<T>
{
    private readonly Func<CancellationToken, ValueTask<OperationState<T>>> _poll;

    public CloudFrontOperation(string id, Func<CancellationToken, ValueTask<OperationState<T>>> poll, TimeSpan pollingInterval, TimeProvider timeProvider, OperationState<T>? initial = null)
        : base(timeProvider)
    {
        Id = id;
        _poll = poll;
        DefaultPollingInterval = pollingInterval;
        if (initial is { } state)
        {
            SetState(state);
        }
    }

    public override string Id { get; }

    public override TimeSpan DefaultPollingInterval { get; }

    protected override ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken) => _poll(cancellationToken);
}

/// <summary>Formats and parses CloudFront operation ids: <c>cloudfront:&lt;create|update|delete&gt;:&lt;distribution&gt;</c> and <c>cloudfront:purge:&lt;distribution&gt;:&lt;invalidation&gt;[,…]</c>.</summary>
internal static class CloudFrontOperationId
{
    public const string Prefix = "cloudfront:";

    public static string Format(string kind, string distributionId) => Prefix + kind + ":" + distributionId;

    public static string Purge(string distributionId, IEnumerable<string> invalidationIds) => Prefix + "purge:" + distributionId + ":" + string.Join(',', invalidationIds);

    public static bool TryParse(string operationId, out string kind, out string distributionId, out IReadOnlyList<string> invalidations)
    {
        kind = distributionId = "";
        invalidations = [];
        if (operationId is null || !operationId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = operationId[Prefix.Length..].Split(':');
        if (parts.Length < 2 || parts[1].Length == 0 || !parts[1].All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        if (parts[0] is "create" or "update" or "delete" && parts.Length == 2)
        {
            kind = parts[0];
            distributionId = parts[1];
            return true;
        }

        if (parts[0] == "purge" && parts.Length == 3 && parts[2].Length > 0)
        {
            var ids = parts[2].Split(',');
            if (ids.Any(i => i.Length == 0 || !i.All(char.IsAsciiLetterOrDigit)))
            {
                return false;
            }

            kind = "purge";
            distributionId = parts[1];
            invalidations = ids;
            return true;
        }

        return false;
    }
}
