namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// A Cloudflare deployment: the service's custom hostnames until each is <c>active</c> (and its certificate, for HTTPS
/// domains). Its polls only read; its id names the zone, the custom hostname ids and the service, so it resumes anywhere.
/// </summary>
internal sealed class CloudflareOperation<T> : CdnOperation<T>
{
    private readonly Func<CancellationToken, ValueTask<OperationState<T>>> _poll;

    public CloudflareOperation(string id, Func<CancellationToken, ValueTask<OperationState<T>>> poll, TimeSpan pollingInterval, TimeProvider timeProvider, string? status = null)
        : base(timeProvider)
    {
        Id = id;
        _poll = poll;
        DefaultPollingInterval = pollingInterval;
        if (status is not null)
        {
            SetState(OperationState<T>.Pending(status));
        }
    }

    public override string Id { get; }

    public override TimeSpan DefaultPollingInterval { get; }

    protected override ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken) => _poll(cancellationToken);
}
