namespace Poppy.Sdk.Testing;

/// <summary>
/// Faults to inject into an <see cref="InMemoryCdnProvider"/>. Each fault applies to the next calls
/// (optionally only to one operation: <c>create</c>, <c>update</c>, <c>delete</c>, <c>get</c>,
/// <c>list</c>, <c>purge</c>, <c>resume</c>, <c>verify</c>) and is consumed as it fires. Thread-safe.
/// </summary>
public sealed class InMemoryFaults
{
    private readonly object _gate = new();
    private readonly List<Fault> _queue = [];
    private readonly string _provider;
    private bool _unavailable;
    private bool _halfCreateNext;
    private bool _failDeploymentNext;

    internal InMemoryFaults(string provider) => _provider = provider;

    /// <summary>Fails the next <paramref name="count"/> calls with <see cref="CdnRequestFailedException"/>.</summary>
    /// <param name="count">How many calls.</param>
    /// <param name="transient">Whether the error is transient.</param>
    /// <param name="status">The HTTP status to report.</param>
    /// <param name="operation">Only this operation; any when null.</param>
    public void FailNext(int count, bool transient = true, int status = 503, string? operation = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _queue.Add(new Fault(operation, () => new CdnRequestFailedException(
                    _provider, $"Injected failure ({status}).", status, CdnErrorCode.FromHttpStatus(status), transient, vendorErrorCode: "injected", requestId: "req-injected")));
            }
        }
    }

    /// <summary>Rate-limits the next <paramref name="count"/> calls with <see cref="CdnRateLimitedException"/>.</summary>
    /// <param name="count">How many calls.</param>
    /// <param name="retryAfter">The Retry-After to report.</param>
    /// <param name="operation">Only this operation; any when null.</param>
    public void RateLimitNext(int count, TimeSpan? retryAfter, string? operation = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _queue.Add(new Fault(operation, () => new CdnRateLimitedException(_provider, "Injected rate limit (429).", retryAfter, requestId: "req-injected")));
            }
        }
    }

    /// <summary>Fails the next call with a non-transient 401.</summary>
    /// <param name="operation">Only this operation; any when null.</param>
    public void FailNextAuth(string? operation = null)
    {
        lock (_gate)
        {
            _queue.Add(new Fault(operation, () => new CdnRequestFailedException(
                _provider, "Injected authentication failure (401).", 401, CdnErrorCode.Unauthorized, isTransient: false, vendorErrorCode: "injected")));
        }
    }

    /// <summary>Makes every call fail with a transient 503 until called again with false.</summary>
    /// <param name="unavailable">Whether the provider is down.</param>
    public void SetUnavailable(bool unavailable)
    {
        lock (_gate)
        {
            _unavailable = unavailable;
        }
    }

    /// <summary>
    /// The next create stores the service (as a vendor that created it but whose answer was lost)
    /// and then fails with a transient error.
    /// </summary>
    public void HalfCreateNext()
    {
        lock (_gate)
        {
            _halfCreateNext = true;
        }
    }

    /// <summary>The next create or update is accepted, but its deployment ends failed (transient) when polled.</summary>
    public void FailDeploymentNext()
    {
        lock (_gate)
        {
            _failDeploymentNext = true;
        }
    }

    /// <summary>Removes every pending fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _unavailable = _halfCreateNext = _failDeploymentNext = false;
        }
    }

    internal void ThrowIfFaulted(string operation)
    {
        Exception? error = null;
        lock (_gate)
        {
            if (_unavailable)
            {
                error = new CdnRequestFailedException(_provider, "The provider is unavailable (injected, 503).", 503, CdnErrorCode.ServiceUnavailable, isTransient: true, vendorErrorCode: "injected");
            }
            else
            {
                var index = _queue.FindIndex(f => f.Operation is null || f.Operation == operation);
                if (index >= 0)
                {
                    error = _queue[index].Create();
                    _queue.RemoveAt(index);
                }
            }
        }

        if (error is not null)
        {
            throw error;
        }
    }

    internal bool TakeHalfCreate()
    {
        lock (_gate)
        {
            var value = _halfCreateNext;
            _halfCreateNext = false;
            return value;
        }
    }

    internal bool TakeFailDeployment()
    {
        lock (_gate)
        {
            var value = _failDeploymentNext;
            _failDeploymentNext = false;
            return value;
        }
    }

    private sealed record Fault(string? Operation, Func<Exception> Create);
}
