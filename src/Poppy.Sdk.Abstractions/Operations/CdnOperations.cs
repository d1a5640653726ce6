namespace Poppy.Sdk;

/// <summary>Operations that are already finished (for vendors that work synchronously, and for no-op results).</summary>
public static class CdnOperations
{
    /// <summary>An operation completed with a value.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="id">The operation id.</param>
    /// <param name="value">The value.</param>
    /// <returns>The operation.</returns>
    public static CdnOperation<T> Completed<T>(string id, T value) => new FinishedOperation<T>(id, OperationState<T>.Success(value));

    /// <summary>An operation that failed.</summary>
    /// <typeparam name="T">The value type it would have had.</typeparam>
    /// <param name="id">The operation id.</param>
    /// <param name="error">What went wrong.</param>
    /// <returns>The operation.</returns>
    public static CdnOperation<T> Failed<T>(string id, Exception error) => new FinishedOperation<T>(id, OperationState<T>.Failure(error));

    private sealed class FinishedOperation<T> : CdnOperation<T>
    {
        public FinishedOperation(string id, OperationState<T> state)
        {
            ArgumentException.ThrowIfNullOrEmpty(id);
            Id = id;
            SetState(state);
        }

        public override string Id { get; }

        protected override ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken) => ValueTask.FromResult(State);
    }
}
