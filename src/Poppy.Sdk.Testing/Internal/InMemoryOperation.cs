namespace Poppy.Sdk.Testing;

/// <summary>An operation on the in-memory provider: each poll reads the provider's state on its clock (polls only read).</summary>
/// <typeparam name="T">The result type.</typeparam>
internal sealed class InMemoryOperation<T>(string id, Func<OperationState<T>> poll) : CdnOperation<T>(null)
{
    public override string Id { get; } = id;

    public override TimeSpan DefaultPollingInterval => TimeSpan.FromSeconds(1);

    protected override ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(poll());
    }
}
