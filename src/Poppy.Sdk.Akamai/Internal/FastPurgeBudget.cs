using System.Collections.Concurrent;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Fast Purge's token buckets for one account (vendors.md §3.6): requests (100, refilled 50 a second) and objects per
/// type — URLs 10,000 (12,000 a minute), CP codes 300 (30 a minute), cache tags 5,000 (500 a minute). Shared by every
/// provider instance of the same API client in the process (<see cref="For"/>), so two registrations of one account do
/// not spend its budget twice. A purge takes all it needs at once or nothing, and is told how long to wait; nothing here
/// waits. Time is the account's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class FastPurgeBudget
{
    private static readonly ConcurrentDictionary<string, FastPurgeBudget> Accounts = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private readonly Bucket _requests = new(100, 50.0);
    private readonly Dictionary<string, Bucket> _objects = new(StringComparer.Ordinal)
    {
        ["url"] = new(10_000, 12_000 / 60.0),
        ["cpcode"] = new(300, 30 / 60.0),
        ["tag"] = new(5_000, 500 / 60.0),
    };

    /// <summary>The budget of an account (its API host and client token), shared in the process.</summary>
    public static FastPurgeBudget For(string account) => Accounts.GetOrAdd(account, static _ => new FastPurgeBudget());

    /// <summary>Takes <paramref name="requests"/> request tokens and <paramref name="objects"/> object tokens of <paramref name="type"/>, or none.</summary>
    /// <returns>Null when taken; otherwise how long until there would be enough, and which bucket is short.</returns>
    public (TimeSpan Wait, string Bucket)? TryTake(string type, int requests, int objects, DateTimeOffset now)
    {
        lock (_lock)
        {
            var bucket = _objects[type];
            _requests.Refill(now);
            bucket.Refill(now);
            var waitRequests = _requests.WaitFor(requests);
            var waitObjects = bucket.WaitFor(objects);
            if (waitRequests > TimeSpan.Zero || waitObjects > TimeSpan.Zero)
            {
                return waitRequests >= waitObjects ? (waitRequests, "requests") : (waitObjects, type + " objects");
            }

            _requests.Tokens -= requests;
            bucket.Tokens -= objects;
            return null;
        }
    }

    private sealed class Bucket(int capacity, double perSecond)
    {
        private DateTimeOffset? _last;

        public double Tokens { get; set; } = capacity;

        public void Refill(DateTimeOffset now)
        {
            if (_last is { } last && now > last)
            {
                Tokens = Math.Min(capacity, Tokens + ((now - last).TotalSeconds * perSecond));
            }

            _last = _last is { } l && l > now ? l : now;
        }

        public TimeSpan WaitFor(int count)
        {
            if (count <= Tokens)
            {
                return TimeSpan.Zero;
            }

            // Round up to whole milliseconds, so waiting that long is always enough.
            return TimeSpan.FromMilliseconds(Math.Ceiling((count - Tokens) / perSecond * 1000));
        }
    }
}
