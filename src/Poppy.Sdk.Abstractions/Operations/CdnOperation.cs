using System.Runtime.ExceptionServices;

namespace Poppy.Sdk;

/// <summary>
/// A long-running operation (the Azure <c>Operation</c> shape): poll it with <see cref="UpdateStatusAsync"/>,
/// or wait with <c>WaitForCompletionAsync</c>. Waiting uses the injected <see cref="TimeProvider"/> and honours
/// the vendor's <c>Retry-After</c>. <see cref="Id"/> lets the operation be resumed after a process restart
/// (<see cref="ICdnProvider.ResumeOperationAsync"/>). Every operation is a <see cref="CdnOperation{T}"/>;
/// this base lets callers handle operations whose result type they do not know.
/// </summary>
public abstract class CdnOperation
{
    private protected CdnOperation(TimeProvider? timeProvider)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>An id from which the operation can be resumed (see <see cref="OperationId"/>).</summary>
    public abstract string Id { get; }

    /// <summary>The time between polls when the vendor gives no <c>Retry-After</c>: the provider's polling hint.</summary>
    public virtual TimeSpan DefaultPollingInterval => TimeSpan.FromSeconds(5);

    /// <summary>Whether the operation has finished, successfully or not.</summary>
    public abstract bool HasCompleted { get; }

    /// <summary>The last progress text.</summary>
    public abstract string? StatusDescription { get; }

    /// <summary>How long the vendor asked to wait before the next poll, from the last poll; null when it did not say.</summary>
    public abstract TimeSpan? SuggestedPollingDelay { get; }

    /// <summary>The failure, once completed unsuccessfully.</summary>
    public abstract Exception? Error { get; }

    /// <summary>The clock used for waiting.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>Polls once, unless already completed.</summary>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>Whether the operation has completed.</returns>
    public abstract ValueTask<bool> UpdateStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Wraps this operation: the wrapper receives it with its result type known.</summary>
    /// <param name="wrapper">Builds the wrapping operation.</param>
    /// <returns>The wrapped operation.</returns>
    public CdnOperation WrapWith(ICdnOperationWrapper wrapper)
    {
        ArgumentNullException.ThrowIfNull(wrapper);
        return WrapCore(wrapper);
    }

    private protected abstract CdnOperation WrapCore(ICdnOperationWrapper wrapper);

    internal async Task WaitCoreAsync(TimeSpan? pollingInterval, CancellationToken cancellationToken)
    {
        while (!await UpdateStatusAsync(cancellationToken).ConfigureAwait(false))
        {
            var delay = SuggestedPollingDelay ?? pollingInterval ?? DefaultPollingInterval;
            await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (Error is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }
}

/// <summary>A long-running operation that produces a value. Implement <see cref="PollAsync"/>; the state is typed.</summary>
/// <typeparam name="T">The result type.</typeparam>
public abstract class CdnOperation<T> : CdnOperation
{
    private OperationState<T> _state = OperationState<T>.Pending("started");

    /// <summary>Creates an operation.</summary>
    /// <param name="timeProvider">The clock used when waiting; <see cref="TimeProvider.System"/> when null.</param>
    protected CdnOperation(TimeProvider? timeProvider = null)
        : base(timeProvider)
    {
    }

    /// <inheritdoc />
    public sealed override bool HasCompleted => _state.IsCompleted;

    /// <inheritdoc />
    public sealed override string? StatusDescription => _state.Description;

    /// <inheritdoc />
    public sealed override TimeSpan? SuggestedPollingDelay => _state.RetryAfter;

    /// <inheritdoc />
    public sealed override Exception? Error => _state.Error;

    /// <summary>Whether a value is available (completed successfully).</summary>
    public bool HasValue => _state.IsSuccess;

    /// <summary>The result.</summary>
    /// <exception cref="InvalidOperationException">The operation has not completed.</exception>
    /// <exception cref="CdnException">The operation failed: its error is rethrown.</exception>
    public T Value
    {
        get
        {
            if (!_state.IsCompleted)
            {
                throw new InvalidOperationException($"Operation '{Id}' has not completed; call WaitForCompletionAsync or UpdateStatusAsync first.");
            }

            if (_state.Error is { } error)
            {
                ExceptionDispatchInfo.Throw(error);
            }

            return _state.Value!;
        }
    }

    /// <summary>The last state observed.</summary>
    protected internal OperationState<T> State => _state;

    /// <inheritdoc />
    public sealed override async ValueTask<bool> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        if (!_state.IsCompleted)
        {
            _state = await PollAsync(cancellationToken).ConfigureAwait(false);
        }

        return _state.IsCompleted;
    }

    /// <summary>Waits until the operation completes and returns its value, polling every <see cref="CdnOperation.DefaultPollingInterval"/> unless the vendor says otherwise.</summary>
    /// <param name="cancellationToken">Cancels the wait (not the vendor-side work).</param>
    /// <returns>The value.</returns>
    /// <exception cref="CdnException">The operation failed; this is its error.</exception>
    public async Task<T> WaitForCompletionAsync(CancellationToken cancellationToken = default)
    {
        await WaitCoreAsync(null, cancellationToken).ConfigureAwait(false);
        return Value;
    }

    /// <summary>Waits until the operation completes and returns its value.</summary>
    /// <param name="pollingInterval">Time between polls when the vendor gives no <c>Retry-After</c>.</param>
    /// <param name="cancellationToken">Cancels the wait (not the vendor-side work).</param>
    /// <returns>The value.</returns>
    public async Task<T> WaitForCompletionAsync(TimeSpan pollingInterval, CancellationToken cancellationToken = default)
    {
        await WaitCoreAsync(pollingInterval, cancellationToken).ConfigureAwait(false);
        return Value;
    }

    /// <summary>Asks the vendor (or the state machine) where the work stands. Called only while not completed.</summary>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>The new state.</returns>
    protected abstract ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken);

    /// <summary>Sets the state without polling (for operations that start in a known state).</summary>
    /// <param name="state">The state.</param>
    protected void SetState(OperationState<T> state) => _state = state;

    private protected sealed override CdnOperation WrapCore(ICdnOperationWrapper wrapper) => wrapper.Wrap(this);
}

/// <summary>Waiting for an operation whose result type is not known.</summary>
public static class CdnOperationExtensions
{
    /// <summary>Waits until the operation completes, polling every <see cref="CdnOperation.DefaultPollingInterval"/> unless the vendor says otherwise.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">Cancels the wait (not the vendor-side work).</param>
    /// <returns>A task that completes with the operation.</returns>
    /// <exception cref="CdnException">The operation failed; this is its error.</exception>
    public static Task WaitForCompletionAsync(this CdnOperation operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.WaitCoreAsync(null, cancellationToken);
    }

    /// <summary>Waits until the operation completes.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="pollingInterval">Time between polls when the vendor gives no <c>Retry-After</c>.</param>
    /// <param name="cancellationToken">Cancels the wait (not the vendor-side work).</param>
    /// <returns>A task that completes with the operation.</returns>
    public static Task WaitForCompletionAsync(this CdnOperation operation, TimeSpan pollingInterval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.WaitCoreAsync(pollingInterval, cancellationToken);
    }
}
