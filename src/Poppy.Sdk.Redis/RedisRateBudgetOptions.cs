namespace Poppy.Sdk.Redis;

/// <summary>What a <see cref="RedisRateBudgetStore"/> does when Redis cannot be reached.</summary>
public enum RedisUnavailableBehavior
{
    /// <summary>Pace with buckets in this process (each instance then spends its own budget), log a warning and count a fallback. The default: purges keep flowing.</summary>
    FallBackToLocal = 0,

    /// <summary>Refuse every token until Redis answers again, so the instances together can never exceed the vendor's limit.</summary>
    FailClosed = 1,
}

/// <summary>Options of <see cref="RedisRateBudgetStore"/>.</summary>
public sealed class RedisRateBudgetOptions
{
    /// <summary>
    /// The StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c> or
    /// <c>redis.internal:6379,password=…,ssl=true,asyncTimeout=500</c>. Required unless a connection is given.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>The prefix of every key the store writes (default <c>poppy:budget:</c>); instances that share budgets use the same prefix.</summary>
    public string KeyPrefix { get; set; } = "poppy:budget:";

    /// <summary>What to do when Redis cannot be reached (default <see cref="RedisUnavailableBehavior.FallBackToLocal"/>).</summary>
    public RedisUnavailableBehavior WhenUnavailable { get; set; } = RedisUnavailableBehavior.FallBackToLocal;

    /// <summary>With <see cref="RedisUnavailableBehavior.FailClosed"/>: the wait suggested to callers while Redis is unreachable (default 1 s).</summary>
    public TimeSpan FailClosedRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a call finds Redis unreachable, how long the store answers without trying Redis (locally, or refusing when
    /// failing closed) before one call tries it again (default 2 s; zero tries Redis on every call).
    /// </summary>
    public TimeSpan UnavailableBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether the buckets are timed by the Redis server's clock (the default: instances with skewed clocks still share
    /// one timeline). When false, each call passes the caller's <see cref="TimeProvider"/> time (for tests on a fake clock).
    /// </summary>
    public bool UseServerClock { get; set; } = true;

    /// <summary>The options' problems, in words (none when valid).</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            problems.Add("Redis rate budgets: KeyPrefix is required.");
        }

        if (FailClosedRetryAfter <= TimeSpan.Zero)
        {
            problems.Add("Redis rate budgets: FailClosedRetryAfter must be positive.");
        }

        if (UnavailableBackoff < TimeSpan.Zero)
        {
            problems.Add("Redis rate budgets: UnavailableBackoff must not be negative.");
        }

        return problems;
    }
}
