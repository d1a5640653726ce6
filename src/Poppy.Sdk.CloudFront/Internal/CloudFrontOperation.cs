namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// A CloudFront operation whose polls only read: a deployment (a distribution's <c>Status</c> until <c>Deployed</c>) or a
/// purge's completion (its invalidations until <c>Completed</c>). Its id (<see cref="OperationId"/>) names everything
/// needed to resume it. Deletes are <see cref="CloudFrontDeleteOperation"/>; an operation already finished when it is
/// returned is <see cref="CdnOperations.Completed{T}"/>.
/// </summary>
internal sealed class CloudFrontOperation<T> : CdnOperation<T>
{
    private readonly Func<CancellationToken, ValueTask<OperationState<T>>> _poll;

    public CloudFrontOperation(string id, Func<CancellationToken, ValueTask<OperationState<T>>> poll, TimeSpan pollingInterval, TimeProvider timeProvider, string? status = null)
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
