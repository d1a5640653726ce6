namespace Poppy.Sdk;

/// <summary>Builds a wrapping operation around an operation whose result type it is handed (see <see cref="CdnOperation.WrapWith"/>).</summary>
public interface ICdnOperationWrapper
{
    /// <summary>Wraps <paramref name="operation"/>.</summary>
    /// <typeparam name="T">The operation's result type.</typeparam>
    /// <param name="operation">The operation to wrap.</param>
    /// <returns>The wrapping operation (or <paramref name="operation"/> itself).</returns>
    CdnOperation<T> Wrap<T>(CdnOperation<T> operation);
}

/// <summary>
/// An operation that passes every poll to an inner operation: the base for operation middleware, as
/// <see cref="DelegatingCdnProvider"/> is for provider middleware. Override <see cref="PollAsync"/> to add
/// behaviour around <c>base.PollAsync</c>.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public class DelegatingCdnOperation<T> : CdnOperation<T>
{
    /// <summary>Wraps an operation.</summary>
    /// <param name="innerOperation">The operation to delegate to.</param>
    /// <param name="timeProvider">The clock used when waiting; the system clock when null.</param>
    public DelegatingCdnOperation(CdnOperation<T> innerOperation, TimeProvider? timeProvider = null)
        : base(timeProvider)
    {
        ArgumentNullException.ThrowIfNull(innerOperation);
        InnerOperation = innerOperation;
        if (innerOperation.HasCompleted)
        {
            SetState(innerOperation.State);
        }
    }

    /// <summary>The operation every poll is passed to.</summary>
    protected CdnOperation<T> InnerOperation { get; }

    /// <inheritdoc />
    public override string Id => InnerOperation.Id;

    /// <inheritdoc />
    public override TimeSpan DefaultPollingInterval => InnerOperation.DefaultPollingInterval;

    /// <inheritdoc />
    protected override async ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken)
    {
        await InnerOperation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return InnerOperation.State;
    }
}
