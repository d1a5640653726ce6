namespace Poppy.Sdk;

/// <summary>
/// The pacing budget of one vendor account for one kind of call (for example Fastly purges): a token bucket that
/// holds up to <see cref="Capacity"/> tokens and gains <see cref="TokensPerPeriod"/> every <see cref="Period"/>.
/// Every <see cref="PoppyClient"/> that uses the same <see cref="IRateBudgetStore"/> and the same <see cref="Key"/>
/// draws from one bucket.
/// </summary>
public sealed record RateBudget
{
    /// <summary>Creates a budget.</summary>
    /// <param name="key">The account and call kind, for example <c>fastly:purge</c> (letters, digits and <c>-_.:</c>).</param>
    /// <param name="capacity">The most tokens the bucket holds (the vendor's burst).</param>
    /// <param name="tokensPerPeriod">The tokens added every period.</param>
    /// <param name="period">The replenishment period.</param>
    /// <exception cref="ArgumentException">A value is out of range or the key has other characters.</exception>
    public RateBudget(string key, int capacity, int tokensPerPeriod, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                throw new ArgumentException($"A rate budget key holds letters, digits and '-_.:' only; '{key}' does not.", nameof(key));
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.FromMilliseconds(1));
        Key = key;
        Capacity = capacity;
        TokensPerPeriod = tokensPerPeriod;
        Period = period;
    }

    /// <summary>The account and call kind, for example <c>fastly:purge</c>.</summary>
    public string Key { get; }

    /// <summary>The most tokens the bucket holds.</summary>
    public int Capacity { get; }

    /// <summary>The tokens added every <see cref="Period"/>.</summary>
    public int TokensPerPeriod { get; }

    /// <summary>The replenishment period.</summary>
    public TimeSpan Period { get; }

    /// <summary>The purge budget of a provider's vendor account, from its capabilities (key <c>&lt;provider name&gt;:purge</c>).</summary>
    /// <param name="providerName">The provider's registered name: every instance that shares the account registers it under this name.</param>
    /// <param name="limit">The vendor's documented purge pacing.</param>
    /// <returns>The budget.</returns>
    public static RateBudget ForPurge(string providerName, PurgeRateLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return Pacing(providerName + ":purge", limit.Burst, limit.RequestsPerPeriod, limit.Period);
    }

    /// <summary>
    /// The write budget of a provider's vendor account, from its capabilities (key <c>&lt;provider name&gt;:write</c>):
    /// one token per vendor HTTP request the account's rate limit counts.
    /// </summary>
    /// <param name="providerName">The provider's registered name: every instance that shares the account registers it under this name.</param>
    /// <param name="limit">The vendor's write pacing.</param>
    /// <returns>The budget.</returns>
    public static RateBudget ForWrite(string providerName, WriteRateLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return Pacing(providerName + ":write", limit.Burst, limit.RequestsPerPeriod, limit.Period);
    }

    /// <summary>A vendor's pacing as a bucket: at least one token of burst and of refill.</summary>
    private static RateBudget Pacing(string key, int burst, int requestsPerPeriod, TimeSpan period) =>
        new(key, Math.Max(1, burst), Math.Max(1, requestsPerPeriod), period);
}

/// <summary>The answer of <see cref="IRateBudgetStore.TryAcquireAsync"/>.</summary>
/// <param name="Acquired">Whether the tokens were taken.</param>
/// <param name="RetryAfter">When they were not: how long until the bucket has them again (an estimate).</param>
public readonly record struct RateBudgetDecision(bool Acquired, TimeSpan RetryAfter)
{
    /// <summary>Taken.</summary>
    public static RateBudgetDecision Granted => new(true, TimeSpan.Zero);
}

/// <summary>
/// Where the composite client keeps its vendor accounts' pacing budgets (purges), and the vendor providers' HTTP
/// clients their write budgets (<see cref="RateBudget.ForWrite"/>). The default,
/// <see cref="LocalRateBudgetStore"/>, keeps them in the process; <c>Poppy.Sdk.Redis</c> shares them between every
/// instance of an application, so several instances together stay within the vendor's limits.
/// </summary>
public interface IRateBudgetStore
{
    /// <summary>Takes tokens from a budget without waiting.</summary>
    /// <param name="budget">The budget (created full on first use).</param>
    /// <param name="tokens">How many tokens (at least 1, at most the capacity).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether they were taken, and otherwise when to try again.</returns>
    ValueTask<RateBudgetDecision> TryAcquireAsync(RateBudget budget, int tokens = 1, CancellationToken cancellationToken = default);
}
