namespace Poppy.Sdk;

/// <summary>The state an operation reported on its last poll: pending, succeeded with a value, or failed.</summary>
/// <typeparam name="T">The operation's result type.</typeparam>
public readonly record struct OperationState<T>
{
    private OperationState(bool completed, T? value, Exception? error, TimeSpan? retryAfter, string? description)
    {
        IsCompleted = completed;
        Value = value;
        Error = error;
        RetryAfter = retryAfter;
        Description = description;
    }

    /// <summary>Whether the operation has finished (successfully or not).</summary>
    public bool IsCompleted { get; }

    /// <summary>The result, for a completed successful operation; default otherwise.</summary>
    public T? Value { get; }

    /// <summary>The failure, for a completed failed operation.</summary>
    public Exception? Error { get; }

    /// <summary>How long the vendor asked to wait before the next poll.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>A short human-readable progress text (for example the vendor's <c>InProgress</c>).</summary>
    public string? Description { get; }

    /// <summary>Whether the operation completed successfully.</summary>
    public bool IsSuccess => IsCompleted && Error is null;

    /// <summary>Still running.</summary>
    /// <param name="description">Progress text.</param>
    /// <param name="retryAfter">When to poll next, if the vendor said.</param>
    /// <returns>The state.</returns>
    public static OperationState<T> Pending(string? description = null, TimeSpan? retryAfter = null) =>
        new(false, default, null, retryAfter, description);

    /// <summary>Finished successfully.</summary>
    /// <param name="value">The result.</param>
    /// <param name="description">Progress text.</param>
    /// <returns>The state.</returns>
    public static OperationState<T> Success(T value, string? description = "completed") =>
        new(true, value, null, null, description);

    /// <summary>Finished with an error.</summary>
    /// <param name="error">What went wrong.</param>
    /// <returns>The state.</returns>
    public static OperationState<T> Failure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(true, default, error, null, "failed");
    }
}
