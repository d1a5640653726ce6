namespace Poppy.Sdk;

/// <summary>The state an operation reported on its last poll.</summary>
public readonly record struct OperationState
{
    private OperationState(bool completed, object? value, Exception? error, TimeSpan? retryAfter, string? description)
    {
        IsCompleted = completed;
        Value = value;
        Error = error;
        RetryAfter = retryAfter;
        Description = description;
    }

    /// <summary>Whether the operation has finished (successfully or not).</summary>
    public bool IsCompleted { get; }

    /// <summary>The result, for a completed successful operation.</summary>
    public object? Value { get; }

    /// <summary>The failure, for a completed failed operation.</summary>
    public Exception? Error { get; }

    /// <summary>How long the vendor asked to wait before the next poll.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>A short human-readable progress text (for example the vendor's <c>InProgress</c>).</summary>
    public string? Description { get; }

    /// <summary>Still running.</summary>
    /// <param name="description">Progress text.</param>
    /// <param name="retryAfter">When to poll next, if the vendor said.</param>
    /// <returns>The state.</returns>
    public static OperationState Pending(string? description = null, TimeSpan? retryAfter = null) =>
        new(false, null, null, retryAfter, description);

    /// <summary>Finished successfully.</summary>
    /// <param name="value">The result (null for operations without one).</param>
    /// <param name="description">Progress text.</param>
    /// <returns>The state.</returns>
    public static OperationState Success(object? value = null, string? description = "completed") =>
        new(true, value, null, null, description);

    /// <summary>Finished with an error.</summary>
    /// <param name="error">What went wrong.</param>
    /// <returns>The state.</returns>
    public static OperationState Failure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(true, null, error, null, "failed");
    }
}

/// <summary>
/// A long-running operation (the Azure <c>Operation</c> shape): poll it with
/// <see cref="UpdateStatusAsync"/>, or wait with <see cref="WaitForCompletionAsync(CancellationToken)"/>.
/// Waiting uses the injected <see cref="TimeProvider"/>, and honours the vendor's <c>Retry-After</c>.
/// <see cref="Id"/> lets the operation be resumed after a process restart (<see cref="ICdnProvider.ResumeOperationAsync"/>).
/// </summary>
public abstract class CdnOperation
{
    private OperationState _state = OperationState.Pending("started");

    /// <summary>Creates an operation.</summary>
    /// <param name="timeProvider">The clock used when waiting; <see cref="TimeProvider.System"/> when null.</param>
    protected CdnOperation(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>An id from which the operation can be resumed.</summary>
    public abstract string Id { get; }

    /// <summary>The default time between polls when the vendor gives no <c>Retry-After</c>.</summary>
    public virtual TimeSpan DefaultPollingInterval => TimeSpan.FromSeconds(5);

    /// <summary>The clock used for waiting.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>Whether the operation has finished, successfully or not.</summary>
    public bool HasCompleted => _state.IsCompleted;

    /// <summary>The last progress text.</summary>
    public string? StatusDescription => _state.Description;

    /// <summary>How long the vendor asked to wait before the next poll, from the last poll; null when it did not say.</summary>
    public TimeSpan? SuggestedPollingDelay => _state.RetryAfter;

    /// <summary>The failure, once completed unsuccessfully.</summary>
    public Exception? Error => _state.Error;

    /// <summary>The last state observed.</summary>
    protected OperationState State => _state;

    /// <summary>Polls the vendor once, unless already completed.</summary>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>Whether the operation has completed.</returns>
    public virtual async ValueTask<bool> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        if (!_state.IsCompleted)
        {
            _state = await PollAsync(cancellationToken).ConfigureAwait(false);
        }

        return _state.IsCompleted;
    }

    /// <summary>Waits until the operation completes, polling every <see cref="DefaultPollingInterval"/>.</summary>
    /// <param name="cancellationToken">Cancels the wait (not the vendor-side work).</param>
    /// <returns>A task that completes with the operation.</returns>
    /// <exception cref="CdnException">The operation failed; this is its error.</exception>
    public Task WaitForCompletionAsync(CancellationToken cancellationToken = default) =>
        WaitCoreAsync(null, cancellationToken);

    /// <summary>Waits until the operation completes.</summary>
    /// <param name="pollingInterval">Time between polls when the vendor gives no <c>Retry-After</c>.</param>
    /// <param name="cancellationToken">Cancels the wait (not the vendor-side work).</param>
    /// <returns>A task that completes with the operation.</returns>
    public Task WaitForCompletionAsync(TimeSpan pollingInterval, CancellationToken cancellationToken = default) =>
        WaitCoreAsync(pollingInterval, cancellationToken);

    /// <summary>Polls the vendor for the current state.</summary>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>The state.</returns>
    protected abstract ValueTask<OperationState> PollAsync(CancellationToken cancellationToken);

    /// <summary>Marks the operation completed or pending without polling (used by subclasses that start in a known state).</summary>
    /// <param name="state">The state.</param>
    protected void SetState(OperationState state) => _state = state;

    private protected async Task WaitCoreAsync(TimeSpan? pollingInterval, CancellationToken cancellationToken)
    {
        while (!await UpdateStatusAsync(cancellationToken).ConfigureAwait(false))
        {
            var delay = _state.RetryAfter ?? pollingInterval ?? DefaultPollingInterval;
            await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (_state.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }
}

/// <summary>A long-running operation that produces a value.</summary>
/// <typeparam name="T">The result type.</typeparam>
public abstract class CdnOperation<T> : CdnOperation
{
    /// <summary>Creates an operation.</summary>
    /// <param name="timeProvider">The clock used when waiting.</param>
    protected CdnOperation(TimeProvider? timeProvider = null)
        : base(timeProvider)
    {
    }

    /// <summary>Whether a value is available (completed successfully).</summary>
    public bool HasValue => State.IsCompleted && State.Error is null;

    /// <summary>The result.</summary>
    /// <exception cref="InvalidOperationException">The operation has not completed.</exception>
    /// <exception cref="CdnException">The operation failed: its error is rethrown.</exception>
    public T Value
    {
        get
        {
            if (!State.IsCompleted)
            {
                throw new InvalidOperationException($"Operation '{Id}' has not completed; call WaitForCompletionAsync or UpdateStatusAsync first.");
            }

            if (State.Error is { } error)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            return (T)State.Value!;
        }
    }

    /// <summary>Waits until the operation completes and returns its value.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The value.</returns>
    public new async Task<T> WaitForCompletionAsync(CancellationToken cancellationToken = default)
    {
        await WaitCoreAsync(null, cancellationToken).ConfigureAwait(false);
        return Value;
    }

    /// <summary>Waits until the operation completes and returns its value.</summary>
    /// <param name="pollingInterval">Time between polls when the vendor gives no <c>Retry-After</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The value.</returns>
    public new async Task<T> WaitForCompletionAsync(TimeSpan pollingInterval, CancellationToken cancellationToken = default)
    {
        await WaitCoreAsync(pollingInterval, cancellationToken).ConfigureAwait(false);
        return Value;
    }
}

/// <summary>Factories for operations that are already finished (synchronous vendors).</summary>
public static class CdnOperations
{
    /// <summary>An operation completed with a value.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="id">The operation id.</param>
    /// <param name="value">The value.</param>
    /// <returns>The operation.</returns>
    public static CdnOperation<T> Completed<T>(string id, T value) => new CompletedOperation<T>(id, OperationState.Success(value));

    /// <summary>An operation completed without a value.</summary>
    /// <param name="id">The operation id.</param>
    /// <returns>The operation.</returns>
    public static CdnOperation Completed(string id) => new CompletedOperation<object?>(id, OperationState.Success());

    private sealed class CompletedOperation<T> : CdnOperation<T>
    {
        public CompletedOperation(string id, OperationState state)
        {
            Id = id;
            SetState(state);
        }

        public override string Id { get; }

        protected override ValueTask<OperationState> PollAsync(CancellationToken cancellationToken) => ValueTask.FromResult(State);
    }
}
