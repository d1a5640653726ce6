namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// An Akamai operation driven by a poll function: a deployment (activations network by network) or a delete (deactivate,
/// wait, delete). Its id (<see cref="OperationId"/>) names everything needed to resume it. An operation already finished
/// when it is returned is <see cref="CdnOperations.Completed{T}"/>.
/// </summary>
internal sealed class AkamaiOperation<T> : CdnOperation<T>
{
    private readonly Func<CancellationToken, ValueTask<OperationState<T>>> _poll;

    public AkamaiOperation(string id, Func<CancellationToken, ValueTask<OperationState<T>>> poll, TimeSpan pollingInterval, TimeProvider timeProvider)
        : base(timeProvider)
    {
        Id = id;
        _poll = poll;
        DefaultPollingInterval = pollingInterval;
    }

    public override string Id { get; }

    public override TimeSpan DefaultPollingInterval { get; }

    protected override ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken) => _poll(cancellationToken);
}
