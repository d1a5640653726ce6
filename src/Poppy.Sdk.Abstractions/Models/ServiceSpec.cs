using System.Text.Json.Serialization;

namespace Poppy.Sdk.Models;

/// <summary>
/// The desired state of a CDN service: the OpenStack Poppy v1 service document.
/// Its JSON form is Poppy's (snake_case), so an existing Poppy request body loads unchanged
/// through <see cref="Serialization.PoppyJson"/>.
/// </summary>
public sealed record ServiceSpec
{
    /// <summary>Creates an empty spec (for serializers and object initializers).</summary>
    public ServiceSpec()
    {
    }

    // The serializer's constructor: System.Text.Json source generation sets every init-only property
    // through an object initializer, so a field absent from the JSON would get default(T) instead of the
    // property's default (dotnet/runtime#84484). Constructor parameters keep their declared defaults.
    [JsonConstructor]
    internal ServiceSpec(
        string name,
        string flavorId,
        IReadOnlyList<DomainSpec>? domains,
        IReadOnlyList<OriginSpec>? origins,
        IReadOnlyList<CachingRule>? caching,
        IReadOnlyList<Restriction>? restrictions,
        LogDelivery? logDelivery)
    {
        Name = name;
        FlavorId = flavorId;
        Domains = domains ?? [];
        Origins = origins ?? [];
        Caching = caching; // absent stays absent: it means "the default rule" on create
        Restrictions = restrictions ?? [];
        LogDelivery = logDelivery ?? LogDelivery.Disabled;
    }

    /// <summary>The service name, 3–256 characters after trimming.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>The flavor (set of providers and mode) the service is provisioned on.</summary>
    [JsonPropertyName("flavor_id")]
    public string FlavorId { get; init; } = "";

    /// <summary>The domains the service answers for; 1–10.</summary>
    [JsonPropertyName("domains")]
    public IReadOnlyList<DomainSpec> Domains { get; init; } = [];

    /// <summary>The origins it fetches from; 1–10.</summary>
    [JsonPropertyName("origins")]
    public IReadOnlyList<OriginSpec> Origins { get; init; } = [];

    /// <summary>
    /// Caching rules. <see langword="null"/> (absent) on create means the default rule
    /// <c>{default, 86400, /*}</c>; an empty list means nothing is configured.
    /// </summary>
    [JsonPropertyName("caching")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CachingRule>? Caching { get; init; }

    /// <summary>Access restrictions; none by default.</summary>
    [JsonPropertyName("restrictions")]
    public IReadOnlyList<Restriction> Restrictions { get; init; } = [];

    /// <summary>Log delivery; off by default.</summary>
    [JsonPropertyName("log_delivery")]
    public LogDelivery LogDelivery { get; init; } = LogDelivery.Disabled;

    /// <inheritdoc />
    public bool Equals(ServiceSpec? other) =>
        other is not null && Name == other.Name && FlavorId == other.FlavorId &&
        Domains.SequenceEqual(other.Domains) && Origins.SequenceEqual(other.Origins) &&
        (Caching is null ? other.Caching is null : other.Caching is not null && Caching.SequenceEqual(other.Caching)) &&
        Restrictions.SequenceEqual(other.Restrictions) && LogDelivery == other.LogDelivery;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, FlavorId, Domains.Count, Origins.Count);
}
