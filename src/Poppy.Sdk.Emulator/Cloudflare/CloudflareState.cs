using System.Globalization;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Cloudflare;

/// <summary>
/// What the emulated Cloudflare holds: the SaaS zone's custom hostnames, fallback origin and phase entry
/// point rulesets, the purges accepted, the purge token buckets and the per-token API budget. One lock
/// (<see cref="Gate"/>) guards it all.
/// </summary>
internal sealed class CloudflareState(CloudflareEmulatorOptions options, TimeProvider time, Func<TimeSpan> deployDelay)
{
    private long _nextId;
    private long _globalWindow = -1;
    private int _globalUsed;

    /// <summary>The lock every read and change of the state takes.</summary>
    public object Gate { get; } = new();

    /// <summary>The options.</summary>
    public CloudflareEmulatorOptions Options { get; } = options;

    /// <summary>The emulator's clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The deploy delay (the emulator's common option, read on each use).</summary>
    public TimeSpan DeployDelay => deployDelay();

    /// <summary>When the zone was created (the emulator's start).</summary>
    public DateTimeOffset ZoneCreated { get; } = time.GetUtcNow();

    /// <summary>The custom hostnames by id, in creation order.</summary>
    public List<CloudflareCustomHostname> CustomHostnames { get; } = [];

    /// <summary>The fallback origin, or null.</summary>
    public CloudflareFallbackOrigin? FallbackOrigin { get; set; }

    /// <summary>The zone's rulesets (phase entry points), by id.</summary>
    public Dictionary<string, CloudflareRuleset> Rulesets { get; } = new(StringComparer.Ordinal);

    /// <summary>Every purge accepted, in order.</summary>
    public List<CloudflarePurgeRecord> Purges { get; } = [];

    /// <summary>The bucket of purges by tag, host, prefix and everything (requests).</summary>
    public TokenBucket FlexPurges { get; private set; } = FlexBucket(options.Plan, time);

    /// <summary>The bucket of single-file purges (URLs).</summary>
    public TokenBucket FilePurges { get; private set; } = FileBucket(options.Plan, time);

    /// <summary>Files allowed in one purge (Enterprise 500, else 100).</summary>
    public int MaxFilesPerPurge => Options.Plan == CloudflarePlan.Enterprise ? 500 : 100;

    /// <summary>Cache rules allowed in the zone's cache-settings phase (10, 25, 50, 300).</summary>
    public int MaxCacheRules => Options.Plan switch
    {
        CloudflarePlan.Free => 10,
        CloudflarePlan.Pro => 25,
        CloudflarePlan.Business => 50,
        _ => 300,
    };

    /// <summary>The plan's minimum edge TTL of a cache rule, in seconds (Free 2 h, Pro 1 h, Business and Enterprise 1 s).</summary>
    public int MinimumEdgeTtl => Options.Plan switch
    {
        CloudflarePlan.Free => 7200,
        CloudflarePlan.Pro => 3600,
        _ => 1,
    };

    /// <summary>Runs <paramref name="action"/> under the lock.</summary>
    public T Locked<T>(Func<T> action)
    {
        lock (Gate)
        {
            return action();
        }
    }

    /// <summary>Checks the zone id of a path: the one zone, or 404.</summary>
    public void Zone(string zoneId)
    {
        if (!string.Equals(zoneId, Options.ZoneId, StringComparison.Ordinal))
        {
            throw CloudflareError.NotFound(7003, $"Could not route to /zones/{zoneId}, perhaps your object identifier is invalid?");
        }
    }

    /// <summary>A new id in Cloudflare's shape (32 lower-case hexadecimal digits).</summary>
    public string NewId()
    {
        lock (Gate)
        {
            var n = ++_nextId;
            return ("e" + n.ToString("x7", CultureInfo.InvariantCulture) + Convert.ToHexString(BitConverter.GetBytes(n * 2654435761L)) + "c0ffee00").ToLowerInvariant()[..32];
        }
    }

    /// <summary>Hostname <c>status</c> now: <c>active</c> once validated, else <c>pending</c>.</summary>
    public string HostnameStatus(CloudflareCustomHostname h) => IsValidated(h) ? "active" : "pending";

    /// <summary>Certificate <c>ssl.status</c> now: <c>active</c> once validated, else <c>pending_validation</c>.</summary>
    public string SslStatus(CloudflareCustomHostname h) => IsValidated(h) ? "active" : "pending_validation";

    /// <summary>
    /// Whether a hostname has validated: marked by a test, or — with <see cref="CloudflareEmulatorOptions.AutoValidate"/> —
    /// the deploy delay has passed since its validation started.
    /// </summary>
    public bool IsValidated(CloudflareCustomHostname h) =>
        h.MarkedValidated || (Options.AutoValidate && Time.GetUtcNow() - h.ValidationStarted >= DeployDelay);

    /// <summary>Fallback origin <c>status</c>: <c>pending_deployment</c> until the deploy delay has passed, then <c>active</c>.</summary>
    public string FallbackStatus(CloudflareFallbackOrigin f) => Time.GetUtcNow() - f.Updated >= DeployDelay ? "active" : "pending_deployment";

    /// <summary>The entry point of a phase, or null. Call under the lock.</summary>
    public CloudflareRuleset? EntryPoint(string phase) => Rulesets.Values.FirstOrDefault(r => r.Phase == phase);

    /// <summary>
    /// Takes one call from the token's API budget (<see cref="CloudflareEmulatorOptions.GlobalRateLimit"/> per window).
    /// </summary>
    /// <returns>What remains and the seconds to the window's end; remaining -1 when spent.</returns>
    public (int Remaining, long ResetSeconds) TakeFromGlobalBudget()
    {
        var windowSeconds = Math.Max(1, (long)Options.GlobalRateWindow.TotalSeconds);
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        var window = now / windowSeconds;
        var reset = (window + 1) * windowSeconds - now;
        lock (Gate)
        {
            if (window != _globalWindow)
            {
                _globalWindow = window;
                _globalUsed = 0;
            }

            if (_globalUsed >= Options.GlobalRateLimit)
            {
                return (-1, reset);
            }

            _globalUsed++;
            return (Options.GlobalRateLimit - _globalUsed, reset);
        }
    }

    /// <summary>Forgets every resource and purge, refills the buckets and the budget.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            CustomHostnames.Clear();
            FallbackOrigin = null;
            Rulesets.Clear();
            Purges.Clear();
            FlexPurges = FlexBucket(Options.Plan, Time);
            FilePurges = FileBucket(Options.Plan, Time);
            _globalUsed = 0;
        }
    }

    private static TokenBucket FlexBucket(CloudflarePlan plan, TimeProvider time) => plan switch
    {
        CloudflarePlan.Free => new TokenBucket(25, 5.0 / 60, time),
        CloudflarePlan.Pro => new TokenBucket(25, 5, time),
        CloudflarePlan.Business => new TokenBucket(50, 10, time),
        _ => new TokenBucket(500, 50, time),
    };

    private static TokenBucket FileBucket(CloudflarePlan plan, TimeProvider time) => plan switch
    {
        CloudflarePlan.Free => new TokenBucket(800, 800, time),
        CloudflarePlan.Pro or CloudflarePlan.Business => new TokenBucket(1500, 1500, time),
        _ => new TokenBucket(3000, 3000, time),
    };
}

/// <summary>A token bucket on the emulator's clock: <c>capacity</c> tokens, refilled at <c>perSecond</c>.</summary>
internal sealed class TokenBucket(double capacity, double perSecond, TimeProvider time)
{
    private double _tokens = capacity;
    private DateTimeOffset _at = time.GetUtcNow();

    /// <summary>The bucket size.</summary>
    public double Capacity { get; } = capacity;

    /// <summary>Tokens added per second.</summary>
    public double PerSecond { get; } = perSecond;

    /// <summary>Takes <paramref name="cost"/> tokens, or none when there are not enough.</summary>
    /// <returns>Null when taken; otherwise how long until enough tokens are there.</returns>
    public TimeSpan? TryTake(double cost)
    {
        var now = time.GetUtcNow();
        _tokens = Math.Min(Capacity, _tokens + ((now - _at).TotalSeconds * PerSecond));
        _at = now;
        if (_tokens >= cost)
        {
            _tokens -= cost;
            return null;
        }

        return TimeSpan.FromSeconds((cost - _tokens) / PerSecond);
    }
}

/// <summary>A custom hostname on the SaaS zone.</summary>
internal sealed class CloudflareCustomHostname
{
    public required string Id { get; init; }

    public required string Hostname { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required string SslId { get; init; }

    /// <summary>The ownership (pre-validation) token.</summary>
    public required string OwnershipToken { get; init; }

    /// <summary>The certificate validation token.</summary>
    public required string ValidationToken { get; set; }

    public DateTimeOffset ValidationStarted { get; set; }

    public bool MarkedValidated { get; set; }

    public JsonObject? CustomMetadata { get; set; }

    public string? CustomOriginServer { get; set; }

    public string? CustomOriginSni { get; set; }

    public string SslMethod { get; set; } = "http";

    public string SslType { get; set; } = "dv";

    public JsonObject? SslSettings { get; set; }

    public string BundleMethod { get; set; } = "ubiquitous";

    public string CertificateAuthority { get; set; } = "google";
}

/// <summary>The zone's fallback origin for custom hostnames.</summary>
internal sealed class CloudflareFallbackOrigin
{
    public required string Origin { get; set; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; set; }
}

/// <summary>A zone ruleset: a phase entry point and its rules.</summary>
internal sealed class CloudflareRuleset
{
    public required string Id { get; init; }

    public required string Phase { get; init; }

    public string Name { get; set; } = "default";

    public string Description { get; set; } = "";

    public int Version { get; set; } = 1;

    public DateTimeOffset LastUpdated { get; set; }

    public List<CloudflareRule> Rules { get; } = [];
}

/// <summary>A rule: its id, version and the fields the client sent (action, expression, ref, …).</summary>
internal sealed class CloudflareRule
{
    public required string Id { get; init; }

    public int Version { get; set; } = 1;

    public DateTimeOffset LastUpdated { get; set; }

    /// <summary>The rule's fields other than <c>id</c>, <c>version</c>, <c>last_updated</c> and <c>position</c>.</summary>
    public JsonObject Fields { get; set; } = [];

    public string Ref => Fields["ref"]?.GetValue<string>() ?? Id;

    public string Action => Fields["action"]?.GetValue<string>() ?? "";

    public string Expression => Fields["expression"]?.GetValue<string>() ?? "";
}
