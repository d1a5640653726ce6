using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Poppy.Sdk.Redis;

/// <summary>
/// Rate budgets shared through Redis: each budget is one hash (<c>tokens</c>, <c>ts</c>) updated by one Lua script, so
/// every instance of an application draws from the same bucket atomically. The bucket gains
/// <see cref="RateBudget.TokensPerPeriod"/> tokens per whole <see cref="RateBudget.Period"/> elapsed, up to its capacity,
/// exactly as <see cref="LocalRateBudgetStore"/> does. When Redis cannot be reached the store falls back to local
/// buckets (or refuses, see <see cref="RedisRateBudgetOptions.WhenUnavailable"/>), logs a warning when that starts and
/// an information line when Redis is back, and counts each fallback in <c>poppy.rate_budget.fallbacks</c>.
/// </summary>
/// <remarks>
/// A fallback answers at once: a connection the store opens fails commands fast while disconnected
/// (<see cref="BacklogPolicy.FailFast"/>) instead of queueing them until the async timeout, a connection that reports
/// itself disconnected is not asked, and after a failure the store answers without Redis for
/// <see cref="RedisRateBudgetOptions.UnavailableBackoff"/> before one call tries Redis again.
/// </remarks>
public sealed partial class RedisRateBudgetStore : IRateBudgetStore, IAsyncDisposable, IDisposable
{
    // KEYS[1]: the bucket. ARGV: capacity, tokens per period, period (ms), tokens wanted, now (ms; negative: the server's clock).
    // Returns {1, 0} when taken, {0, ms until the next replenishment} when not.
    private const string Script = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local period = tonumber(ARGV[3])
        local wanted = tonumber(ARGV[4])
        local now = tonumber(ARGV[5])
        if now < 0 then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1])
        local ts = tonumber(state[2])
        if tokens == nil or ts == nil then
          tokens = capacity
          ts = now
        end
        if tokens > capacity then
          tokens = capacity
        end
        if now > ts then
          local periods = math.floor((now - ts) / period)
          if periods > 0 then
            tokens = math.min(capacity, tokens + periods * rate)
            ts = ts + periods * period
          end
        end
        if tokens >= capacity then
          ts = now
        end
        local taken = 0
        local wait = 0
        if tokens >= wanted then
          tokens = tokens - wanted
          taken = 1
        else
          wait = ts + period - now
          if wait < 1 then wait = 1 end
        end
        redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', ts)
        redis.call('PEXPIRE', KEYS[1], period * (math.ceil(capacity / rate) + 2))
        return {taken, wait}
        """;

    private static readonly Meter Meter = new("Poppy.Sdk");
    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>(
        "poppy.rate_budget.fallbacks", unit: "{call}", description: "Rate budget calls answered without Redis (locally, or refused when failing closed).");

    private readonly RedisRateBudgetOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly LocalRateBudgetStore _local;
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly bool _ownsConnection;
    private readonly object _gate = new();
    private Task<IConnectionMultiplexer>? _connection;
    private bool _disposed;
    private int _unavailable;
    // UTC ticks before which calls do not try Redis (after a failure); 0 while Redis answers.
    private long _retryAtTicks;
    private long _redisAttempts;

    /// <summary>Creates a store that connects (lazily, on first use) with <see cref="RedisRateBudgetOptions.Configuration"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock of the local fallback, and of the buckets when <see cref="RedisRateBudgetOptions.UseServerClock"/> is false.</param>
    /// <param name="logger">Logs fallbacks.</param>
    /// <exception cref="ArgumentException">The options are invalid or name no configuration.</exception>
    public RedisRateBudgetStore(RedisRateBudgetOptions options, TimeProvider? timeProvider = null, ILogger<RedisRateBudgetStore>? logger = null)
        : this(options, null, null, timeProvider, logger, ownsConnection: true)
    {
    }

    /// <summary>Creates a store on a connection the application already has (the store does not dispose it).</summary>
    /// <param name="options">The options (<see cref="RedisRateBudgetOptions.Configuration"/> is ignored).</param>
    /// <param name="connection">The connection.</param>
    /// <param name="timeProvider">The clock of the local fallback, and of the buckets when <see cref="RedisRateBudgetOptions.UseServerClock"/> is false.</param>
    /// <param name="logger">Logs fallbacks.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public RedisRateBudgetStore(RedisRateBudgetOptions options, IConnectionMultiplexer connection, TimeProvider? timeProvider = null, ILogger<RedisRateBudgetStore>? logger = null)
        : this(options, connection ?? throw new ArgumentNullException(nameof(connection)), null, timeProvider, logger, ownsConnection: false)
    {
    }

    /// <summary>Creates a store that owns the connections <paramref name="connect"/> opens (for tests of the connection's lifetime).</summary>
    internal RedisRateBudgetStore(RedisRateBudgetOptions options, Func<Task<IConnectionMultiplexer>> connect, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this(options, null, connect ?? throw new ArgumentNullException(nameof(connect)), timeProvider, logger, ownsConnection: true)
    {
    }

    private RedisRateBudgetStore(RedisRateBudgetOptions options, IConnectionMultiplexer? connection, Func<Task<IConnectionMultiplexer>>? connect, TimeProvider? timeProvider, ILogger? logger, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (connection is null && connect is null && string.IsNullOrWhiteSpace(options.Configuration))
        {
            problems = [.. problems, "Redis rate budgets: Configuration is required (for example \"127.0.0.1:6379\")."];
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _local = new LocalRateBudgetStore(_timeProvider);
        _ownsConnection = ownsConnection;
        if (connection is not null)
        {
            _connection = Task.FromResult(connection);
            _connect = () => Task.FromResult(connection);
        }
        else if (connect is not null)
        {
            _connect = connect;
        }
        else
        {
            var configuration = ConfigurationOptions.Parse(options.Configuration!);
            // Keep retrying in the background instead of failing the first call for good; calls fall back meanwhile.
            configuration.AbortOnConnectFail = false;
            // While disconnected, fail a command at once (the call then answers without Redis) instead of queueing it
            // until the async timeout (5 s by default) for a reconnection.
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            _connect = async () => await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the last call could not reach Redis (and was answered by the fallback).</summary>
    public bool IsUsingFallback => Volatile.Read(ref _unavailable) == 1;

    /// <summary>How many calls tried Redis (for tests: calls in the back-off after a failure do not).</summary>
    internal long RedisAttempts => Interlocked.Read(ref _redisAttempts);

    /// <inheritdoc />
    public async ValueTask<RateBudgetDecision> TryAcquireAsync(RateBudget budget, int tokens = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tokens, budget.Capacity);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        if (!TryEnterRedis())
        {
            return Fallback(budget, tokens, error: null);
        }

        Interlocked.Increment(ref _redisAttempts);
        RedisResult result;
        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            if (!connection.IsConnected)
            {
                return Failed(budget, tokens, new RedisConnectionException(ConnectionFailureType.UnableToConnect, "The connection to Redis is not established."));
            }

            var now = _options.UseServerClock ? -1 : _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            result = await connection.GetDatabase().ScriptEvaluateAsync(
                Script,
                [new RedisKey(_options.KeyPrefix + budget.Key)],
                [budget.Capacity, budget.TokensPerPeriod, (long)Math.Ceiling(budget.Period.TotalMilliseconds), tokens, now]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return Failed(budget, tokens, ex);
        }

        Volatile.Write(ref _retryAtTicks, 0);
        if (Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            LogRecovered(_logger, budget.Key);
        }

        var values = (RedisResult[])result!;
        return (long)values[0] == 1
            ? RateBudgetDecision.Granted
            : new RateBudgetDecision(false, TimeSpan.FromMilliseconds((long)values[1]));
    }

    /// <summary>
    /// Whether this call may try Redis: always while it answers; after a failure, not before the back-off ends, and
    /// then only the one call that moves the end of the back-off on (the probe).
    /// </summary>
    private bool TryEnterRedis()
    {
        var retryAt = Volatile.Read(ref _retryAtTicks);
        if (retryAt == 0)
        {
            return true;
        }

        var now = _timeProvider.GetUtcNow().UtcTicks;
        return now >= retryAt && Interlocked.CompareExchange(ref _retryAtTicks, BackoffEnd(now), retryAt) == retryAt;
    }

    private long BackoffEnd(long nowTicks) => Math.Max(1, nowTicks + _options.UnavailableBackoff.Ticks);

    /// <summary>The connection, opened once; opened again when opening it failed (the back-off paces those attempts).</summary>
    private Task<IConnectionMultiplexer> ConnectionAsync()
    {
        // Opened: no lock on the per-call path (disposal is checked by the caller and clears the field).
        if (Volatile.Read(ref _connection) is { IsCompletedSuccessfully: true } open)
        {
            return open;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is null || _connection.IsFaulted || _connection.IsCanceled)
            {
                _connection = _connect();
            }

            return _connection;
        }
    }

    private RateBudgetDecision Failed(RateBudget budget, int tokens, Exception error)
    {
        var decision = Fallback(budget, tokens, error);
        Volatile.Write(ref _retryAtTicks, BackoffEnd(_timeProvider.GetUtcNow().UtcTicks));
        return decision;
    }

    /// <summary>Answers without Redis; <paramref name="error"/> is null in the back-off after a failure (already logged).</summary>
    private RateBudgetDecision Fallback(RateBudget budget, int tokens, Exception? error)
    {
        var closed = _options.WhenUnavailable == RedisUnavailableBehavior.FailClosed;
        Fallbacks.Add(1, new KeyValuePair<string, object?>("poppy.budget", budget.Key), new KeyValuePair<string, object?>("poppy.fallback", closed ? "refused" : "local"));
        if (error is not null && Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            LogUnavailable(_logger, budget.Key, closed ? "refusing tokens until it answers" : "pacing with local buckets meanwhile", error.GetType().Name, error.Message);
        }

        return closed ? new RateBudgetDecision(false, _options.FailClosedRetryAfter) : _local.TryAcquire(budget, tokens);
    }

    /// <summary>Closes the connection the store opened (not one it was given) and stops the local buckets.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (TakeOwnedConnection() is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => TakeOwnedConnection()?.Dispose();

    /// <summary>
    /// Marks the store disposed and stops the local buckets; answers the connection to close now when the store owns
    /// one, and closes one still being opened when it is open.
    /// </summary>
    private IConnectionMultiplexer? TakeOwnedConnection()
    {
        Task<IConnectionMultiplexer>? connection;
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            _disposed = true;
            connection = _connection;
            _connection = null;
        }

        _local.Dispose();
        if (!_ownsConnection || connection is null)
        {
            return null;
        }

        if (connection.IsCompletedSuccessfully)
        {
            return connection.Result;
        }

        _ = connection.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        return null;
    }

    [LoggerMessage(2100, LogLevel.Warning, "Redis is unreachable for rate budget {Budget}: {Behavior} ({ErrorType}: {Error}).")]
    private static partial void LogUnavailable(ILogger logger, string budget, string behavior, string errorType, string error);

    [LoggerMessage(2101, LogLevel.Information, "Redis answers again; rate budget {Budget} is shared again.")]
    private static partial void LogRecovered(ILogger logger, string budget);
}
