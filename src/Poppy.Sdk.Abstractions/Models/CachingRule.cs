using System.Text.Json.Serialization;

namespace Poppy.Sdk.Models;

/// <summary>How long content matching some paths is cached (<c>{"name", "ttl", "rules"}</c>).</summary>
public sealed record CachingRule
{
    /// <summary>The TTL applied when a service has no caching rules on create (one day).</summary>
    public const int DefaultTtlSeconds = 86_400;

    /// <summary>The largest TTL accepted (one year).</summary>
    public const int MaxTtlSeconds = 31_536_000;

    /// <summary>Creates an empty caching rule (for serializers and object initializers).</summary>
    public CachingRule()
    {
    }

    /// <summary>Creates a caching rule.</summary>
    /// <param name="name">The name, 1–256 characters.</param>
    /// <param name="ttl">Seconds, 0–31,536,000; 0 means do not cache.</param>
    /// <param name="rules">The paths it applies to; none means <c>/*</c>.</param>
    public CachingRule(string name, int ttl, params IReadOnlyList<PathRule> rules)
    {
        Name = name;
        Ttl = ttl;
        Rules = rules;
    }

    // The serializer's constructor: System.Text.Json source generation sets every init-only property
    // through an object initializer, so a field absent from the JSON would get default(T) instead of the
    // property's default (dotnet/runtime#84484). Constructor parameters keep their declared defaults.
    [JsonConstructor]
    internal CachingRule(string name, IReadOnlyList<PathRule>? rules, int ttl)
    {
        Name = name;
        Ttl = ttl;
        Rules = rules ?? [];
    }

    /// <summary>The name, 1–256 characters.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>Time to live in seconds (0–31,536,000); 0 means do not cache.</summary>
    [JsonPropertyName("ttl")]
    public int Ttl { get; init; }

    /// <summary>The paths this TTL applies to.</summary>
    [JsonPropertyName("rules")]
    public IReadOnlyList<PathRule> Rules { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(CachingRule? other) =>
        other is not null && Name == other.Name && Ttl == other.Ttl && Rules.SequenceEqual(other.Rules);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Ttl, Rules.Count);
}
