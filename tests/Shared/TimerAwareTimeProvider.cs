using Microsoft.Extensions.Time.Testing;

namespace Poppy.Sdk.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which one-shot timers are pending, so a test advances the clock
/// only once the code under test waits on it (<see cref="AdvanceWhenWaitedOnAsync"/>) instead of advancing in a
/// loop that races the code (the rule in docs/contributing.md). Periodic timers (token buckets) are left out:
/// they are always pending and say nothing about whether the code has reached its wait.
/// </summary>
internal sealed class TimerAwareTimeProvider : FakeTimeProvider
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private readonly List<Pending> _pending = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimerAwareTimeProvider()
    {
    }

    public TimerAwareTimeProvider(DateTimeOffset startDateTime)
        : base(startDateTime)
    {
    }

    /// <summary>
    /// Completes once a one-shot timer is pending that is due within <paramref name="within"/> from now.
    /// The real-time bound only turns a hang into a failure; passing tests never reach it.
    /// </summary>
    public Task WaitForTimerAsync(TimeSpan within) => WaitForTimerAsync(within, exact: false, null);

    /// <summary>
    /// Waits until the code under test has registered a timer due exactly <paramref name="delta"/> from now, then
    /// advances: for code whose other timers (HTTP timeouts of requests in flight) are due sooner, and must not fire.
    /// </summary>
    /// <param name="delta">How far to advance.</param>
    /// <param name="finished">Whether the code under test is done (then it registers no timer, and this returns false).</param>
    /// <returns>Whether the clock was advanced.</returns>
    public async Task<bool> AdvanceWhenWaitedOnExactlyAsync(TimeSpan delta, Func<bool> finished)
    {
        if (!await WaitForTimerAsync(delta, exact: true, finished).ConfigureAwait(false))
        {
            return false;
        }

        Advance(delta);
        return true;
    }

    private async Task<bool> WaitForTimerAsync(TimeSpan within, bool exact, Func<bool>? finished = null)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            Task changed;
            var limit = GetUtcNow() + within;
            lock (_gate)
            {
                if (_pending.Exists(p => exact ? p.Due == limit : p.Due <= limit))
                {
                    return true;
                }

                changed = _changed.Task;
            }

            if (finished?.Invoke() == true)
            {
                return false;
            }

            var left = deadline - DateTime.UtcNow;
            // Finishing registers no timer: look at it again every few milliseconds.
            var wait = finished is null ? left : TimeSpan.FromMilliseconds(Math.Min(20, Math.Max(0, left.TotalMilliseconds)));
            if (left <= TimeSpan.Zero || (await Task.WhenAny(changed, Task.Delay(wait)).ConfigureAwait(false) != changed && finished is null))
            {
                throw new TimeoutException($"No timer due {(exact ? "in exactly" : "within")} {within} was registered on the fake clock (now {GetUtcNow():O}).");
            }
        }
    }

    /// <summary>Waits until the code under test has registered a timer due within <paramref name="delta"/>, then advances.</summary>
    public async Task AdvanceWhenWaitedOnAsync(TimeSpan delta)
    {
        await WaitForTimerAsync(delta).ConfigureAwait(false);
        Advance(delta);
    }

    /// <summary>When the pending one-shot timers are due (a snapshot), for tests that wait until several waiters are parked.</summary>
    public IReadOnlyList<DateTimeOffset> PendingDueTimes()
    {
        lock (_gate)
        {
            return [.. _pending.Select(p => p.Due)];
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }

        // The pending entry becomes visible only once the fake clock holds the timer: a test that sees it and advances
        // must never advance before the timer exists (it would then be due after the new "now" and never fire).
        var pending = new Pending(this);
        var due = pending.Arm(dueTime);
        var inner = base.CreateTimer(
            s =>
            {
                pending.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        pending.Publish(due);
        return new TrackedTimer(inner, pending);
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private sealed class Pending(TimerAwareTimeProvider owner)
    {
        private bool _fired;

        public DateTimeOffset Due { get; private set; }

        /// <summary>Starts an arming: withdrawn until <see cref="Publish"/>; returns when it will be due (null: never).</summary>
        public DateTimeOffset? Arm(TimeSpan dueTime)
        {
            // The fake clock's own lock is never taken while holding ours.
            var due = dueTime == Timeout.InfiniteTimeSpan ? (DateTimeOffset?)null : owner.GetUtcNow() + dueTime;
            lock (owner._gate)
            {
                owner._pending.Remove(this);
                _fired = false;
            }

            return due;
        }

        /// <summary>Shows the armed timer to waiting tests, unless it has already fired.</summary>
        public void Publish(DateTimeOffset? due)
        {
            lock (owner._gate)
            {
                if (due is { } d && !_fired)
                {
                    Due = d;
                    owner._pending.Add(this);
                }
            }

            owner.Signal();
        }

        public void Fired()
        {
            lock (owner._gate)
            {
                _fired = true;
                owner._pending.Remove(this);
            }
        }

        public void Clear()
        {
            lock (owner._gate)
            {
                owner._pending.Remove(this);
            }
        }
    }

    private sealed class TrackedTimer(ITimer inner, Pending pending) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var due = pending.Arm(dueTime);
            var changed = inner.Change(dueTime, period);
            pending.Publish(due);
            return changed;
        }

        public void Dispose()
        {
            pending.Clear();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            pending.Clear();
            return inner.DisposeAsync();
        }
    }
}
