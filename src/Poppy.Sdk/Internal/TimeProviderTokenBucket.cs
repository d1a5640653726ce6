using System.Threading.RateLimiting;

namespace Poppy.Sdk.Internal;

/// <summary>
/// A token bucket (a <see cref="RateLimiter"/>) replenished by a <see cref="TimeProvider"/> timer:
/// <see cref="TokensPerPeriod"/> tokens every period, up to the limit; waiters are served first in,
/// first out. The framework's <see cref="TokenBucketRateLimiter"/> measures elapsed time with the
/// real clock even when replenished by hand, so it cannot follow a fake clock in tests.
/// </summary>
internal sealed class TimeProviderTokenBucket : RateLimiter
{
    private readonly object _gate = new();
    private readonly Queue<Waiter> _waiters = new();
    private readonly ITimer _timer;
    private readonly TimeProvider _timeProvider;
    private readonly int _tokenLimit;
    private int _tokens;
    private long _idleSince;
    private long _successfulLeases;
    private bool _disposed;

    /// <param name="tokenLimit">The capacity.</param>
    /// <param name="tokensPerPeriod">The tokens added per period.</param>
    /// <param name="period">The period.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="initialTokens">The tokens it starts with (full when null; at most <paramref name="tokenLimit"/>).</param>
    public TimeProviderTokenBucket(int tokenLimit, int tokensPerPeriod, TimeSpan period, TimeProvider timeProvider, int? initialTokens = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _tokenLimit = tokenLimit;
        _tokens = Math.Clamp(initialTokens ?? tokenLimit, 0, tokenLimit);
        TokensPerPeriod = tokensPerPeriod;
        Period = period;
        _timeProvider = timeProvider;
        _idleSince = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static s => ((TimeProviderTokenBucket)s!).Replenish(), this, period, period);
    }

    public int TokenLimit => _tokenLimit;

    public int TokensPerPeriod { get; }

    /// <summary>The tokens available now.</summary>
    public int AvailableTokens
    {
        get
        {
            lock (_gate)
            {
                return _tokens;
            }
        }
    }

    public TimeSpan Period { get; }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count > 0 || _tokens < _tokenLimit ? null : _timeProvider.GetElapsedTime(_idleSince);
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _tokens,
                CurrentQueuedCount = _waiters.Count,
                TotalSuccessfulLeases = _successfulLeases,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ValidatePermits(permitCount);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_waiters.Count == 0 && _tokens >= permitCount)
            {
                _tokens -= permitCount;
                _successfulLeases++;
                return Lease.Acquired;
            }

            return Lease.Refused;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ValidatePermits(permitCount);
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_waiters.Count == 0 && _tokens >= permitCount)
            {
                _tokens -= permitCount;
                _successfulLeases++;
                return ValueTask.FromResult<RateLimitLease>(Lease.Acquired);
            }

            waiter = new Waiter(permitCount);
            _waiters.Enqueue(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static s => ((Waiter)s!).Completion.TrySetCanceled(), waiter);
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

        List<Waiter> pending;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            pending = [.. _waiters];
            _waiters.Clear();
        }

        _timer.Dispose();
        foreach (var waiter in pending)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(Lease.Refused);
        }
    }

    private void ValidatePermits(int permitCount)
    {
        if (permitCount < 1 || permitCount > _tokenLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"Between 1 and {_tokenLimit} permits may be asked for.");
        }
    }

    private void Replenish()
    {
        List<Waiter>? granted = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _tokens = Math.Min(_tokenLimit, _tokens + TokensPerPeriod);
            while (_waiters.TryPeek(out var next))
            {
                if (next.Completion.Task.IsCompleted)
                {
                    _waiters.Dequeue(); // cancelled
                    continue;
                }

                if (_tokens < next.Permits)
                {
                    break;
                }

                _waiters.Dequeue();
                _tokens -= next.Permits;
                _successfulLeases++;
                (granted ??= []).Add(next);
            }

            if (_waiters.Count == 0 && _tokens == _tokenLimit)
            {
                _idleSince = _timeProvider.GetTimestamp();
            }
        }

        foreach (var waiter in granted ?? [])
        {
            waiter.Registration.Dispose();
            if (!waiter.Completion.TrySetResult(Lease.Acquired))
            {
                // Cancelled between the dequeue and now: give the tokens back.
                lock (_gate)
                {
                    _tokens = Math.Min(_tokenLimit, _tokens + waiter.Permits);
                }
            }
        }
    }

    private sealed class Waiter(int permits)
    {
        public int Permits { get; } = permits;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
