using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Poppy.Sdk;
using Poppy.Sdk.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the composite client's pacing budgets through Redis: <c>services.AddPoppy(...).UseRedisRateLimits("127.0.0.1:6379")</c>.</summary>
public static class RedisPoppyBuilderExtensions
{
    /// <summary>
    /// Keeps every vendor account's pacing budgets (purge rate limits, and the write budgets the vendor providers' HTTP
    /// clients draw from) in Redis, shared by every instance that points at
    /// the same Redis with the same key prefix. Without it each instance paces alone, and N instances together may send
    /// N times the vendor's rate.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</param>
    /// <param name="configure">Sets the other options (fallback behaviour, key prefix).</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder UseRedisRateLimits(this IPoppyBuilder builder, string configuration, Action<RedisRateBudgetOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.UseRedisRateLimits(options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        });
    }

    /// <summary>Keeps every vendor account's pacing budget in Redis, with options set in code (see <see cref="UseRedisRateLimits(IPoppyBuilder, string, Action{RedisRateBudgetOptions}?)"/>).</summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="configure">Sets the options; <see cref="RedisRateBudgetOptions.Configuration"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder UseRedisRateLimits(this IPoppyBuilder builder, Action<RedisRateBudgetOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisRateBudgetOptions>().Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Configuration), "Redis rate budgets: Configuration is required (for example \"127.0.0.1:6379\").")
            .Validate(o => o.Validate().Count == 0, "Redis rate budgets: invalid options (KeyPrefix required, FailClosedRetryAfter positive, UnavailableBackoff not negative).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<IRateBudgetStore>();
        services.AddSingleton<IRateBudgetStore>(sp => new RedisRateBudgetStore(
            sp.GetRequiredService<IOptions<RedisRateBudgetOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<RedisRateBudgetStore>>()));
        return builder;
    }
}
