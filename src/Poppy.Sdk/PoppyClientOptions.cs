using System.Globalization;

namespace Poppy.Sdk;

/// <summary>How a flavor places a service on its providers.</summary>
public enum FlavorMode
{
    /// <summary>On every provider of the flavor, in parallel (Poppy's semantics).</summary>
    Mirror = 0,

    /// <summary>On the first healthy provider, in order; moves on when one fails transiently.</summary>
    Failover = 1,
}

/// <summary>A named list of providers and a placement mode.</summary>
public sealed class PoppyFlavorOptions
{
    /// <summary>The placement mode; mirror by default.</summary>
    public FlavorMode Mode { get; set; } = FlavorMode.Mirror;

    /// <summary>Provider names, in order of preference.</summary>
    public List<string> Providers { get; set; } = [];
}

/// <summary>The composite client's circuit breaker, one per provider.</summary>
public sealed class PoppyCircuitBreakerOptions
{
    /// <summary>The share of failed calls (0–1) in <see cref="SamplingDuration"/> that opens the circuit. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the sampling window before the ratio counts. Default 4.</summary>
    public int MinimumThroughput { get; set; } = 4;

    /// <summary>The sampling window. Default 30 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a trial call. Default 30 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Options of <see cref="PoppyClient"/>, bound from the configuration section <c>Poppy</c>.</summary>
public sealed class PoppyClientOptions
{
    /// <summary>The configuration section read by <c>AddPoppy(IConfiguration)</c>.</summary>
    public const string SectionName = "Poppy";

    /// <summary>Flavors by id.</summary>
    public Dictionary<string, PoppyFlavorOptions> Flavors { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The circuit breaker applied per provider.</summary>
    public PoppyCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// The longest one vendor call (start of a create, update, delete, a get or one purge batch) may take
    /// before it counts as a transient failure. Default 100 s. Polling deployments is not bounded by it.
    /// </summary>
    public TimeSpan ProviderCallTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The longest <see cref="ProviderCallTimeout"/> accepted: one hour (a longer value is a slip, such as a bare number read as days).</summary>
    public static TimeSpan MaxProviderCallTimeout { get; } = TimeSpan.FromHours(1);

    /// <summary>The longest circuit-breaker sampling or break duration accepted: one day (Polly's own limit).</summary>
    public static TimeSpan MaxCircuitDuration { get; } = TimeSpan.FromDays(1);

    /// <summary>Purge batches in flight at once per provider. Default 4.</summary>
    public int PurgeConcurrencyPerProvider { get; set; } = 4;

    /// <summary>How operations are journaled and recovered (section <c>Poppy:Journal</c>); used when the client has an <see cref="IOperationJournal"/>.</summary>
    public OperationJournalOptions Journal { get; set; } = new();

    /// <summary>Adds (or replaces) a flavor.</summary>
    /// <param name="id">The flavor id.</param>
    /// <param name="mode">Mirror or failover.</param>
    /// <param name="providers">Provider names, in order.</param>
    /// <returns>These options.</returns>
    public PoppyClientOptions AddFlavor(string id, FlavorMode mode, params string[] providers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Flavors[id] = new PoppyFlavorOptions { Mode = mode, Providers = [.. providers] };
        return this;
    }

    /// <summary>Lists every problem with these options, given the registered provider names.</summary>
    /// <param name="registeredProviders">The providers that exist.</param>
    /// <returns>Plain messages; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyCollection<string> registeredProviders)
    {
        ArgumentNullException.ThrowIfNull(registeredProviders);
        var errors = new List<string>();
        if (Flavors.Count == 0)
        {
            errors.Add("Poppy:Flavors: no flavor is configured; add one (for example Poppy:Flavors:default:Providers:0 = \"fastly\").");
        }

        foreach (var (id, flavor) in Flavors)
        {
            if (id.Length is < 1 or > 256)
            {
                errors.Add($"Poppy:Flavors:{id}: a flavor id is 1–256 characters.");
            }

            if (flavor is null || flavor.Providers.Count == 0)
            {
                errors.Add($"Poppy:Flavors:{id}:Providers: the flavor lists no provider.");
                continue;
            }

            if (!Enum.IsDefined(flavor.Mode))
            {
                errors.Add($"Poppy:Flavors:{id}:Mode: '{flavor.Mode}' is not a mode; use Mirror or Failover.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < flavor.Providers.Count; i++)
            {
                var name = flavor.Providers[i];
                if (!registeredProviders.Contains(name))
                {
                    var known = registeredProviders.Count == 0 ? "none is registered" : "registered: " + string.Join(", ", registeredProviders.Order(StringComparer.Ordinal));
                    errors.Add($"Poppy:Flavors:{id}:Providers:{i}: provider '{name}' is not registered ({known}).");
                }
                else if (!seen.Add(name))
                {
                    errors.Add($"Poppy:Flavors:{id}:Providers:{i}: provider '{name}' is listed twice.");
                }
            }
        }

        if (CircuitBreaker.FailureRatio is <= 0 or > 1)
        {
            errors.Add("Poppy:CircuitBreaker:FailureRatio must be in (0, 1].");
        }

        if (CircuitBreaker.MinimumThroughput < 2)
        {
            errors.Add("Poppy:CircuitBreaker:MinimumThroughput must be at least 2.");
        }

        if (CircuitBreaker.SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add("Poppy:CircuitBreaker:SamplingDuration must be at least 0.5 s.");
        }

        if (CircuitBreaker.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add("Poppy:CircuitBreaker:BreakDuration must be at least 0.5 s.");
        }

        if (ProviderCallTimeout <= TimeSpan.Zero)
        {
            errors.Add("Poppy:ProviderCallTimeout must be positive.");
        }
        else if (ProviderCallTimeout > MaxProviderCallTimeout)
        {
            // A bare number in configuration is read as days ("100" is 100 days), a likely slip for seconds.
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Poppy:ProviderCallTimeout is {Describe(ProviderCallTimeout)}, which is implausible for one vendor call (at most {Describe(MaxProviderCallTimeout)}); write it as hh:mm:ss, for example \"00:01:40\" for 100 seconds (a bare \"100\" means 100 days)."));
        }

        if (CircuitBreaker.BreakDuration > MaxCircuitDuration || CircuitBreaker.SamplingDuration > MaxCircuitDuration)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Poppy:CircuitBreaker:BreakDuration and SamplingDuration may be at most {Describe(MaxCircuitDuration)}; write them as hh:mm:ss, for example \"00:00:30\" (a bare \"30\" means 30 days)."));
        }

        if (PurgeConcurrencyPerProvider < 1)
        {
            errors.Add("Poppy:PurgeConcurrencyPerProvider must be at least 1.");
        }

        if (Journal is null)
        {
            errors.Add("Poppy:Journal must not be null.");
        }
        else
        {
            errors.AddRange(Journal.Validate().Select(p => "Poppy:" + p));
        }

        return errors;
    }

    private static string Describe(TimeSpan value) =>
        value.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalDays:0.##} days ({value:c})")
        : value.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalHours:0.##} hours ({value:c})")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.##} seconds ({value:c})");
}
