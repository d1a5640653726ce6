using System.Text.Json.Serialization;

namespace Poppy.Sdk.Models;

/// <summary>An access restriction: a whitelist or blacklist of referrers, countries or client IPs, per path.</summary>
public sealed record Restriction
{
    /// <summary>Creates an empty restriction (for serializers and object initializers).</summary>
    public Restriction()
    {
    }

    /// <summary>Creates a restriction.</summary>
    /// <param name="name">The name, 1–256 characters.</param>
    /// <param name="access">Whitelist or blacklist.</param>
    /// <param name="rules">At least one rule.</param>
    public Restriction(string name, RestrictionAccess access, params IReadOnlyList<RestrictionRule> rules)
    {
        Name = name;
        Access = access;
        Rules = rules;
    }

    // The serializer's constructor: System.Text.Json source generation sets every init-only property
    // through an object initializer, so a field absent from the JSON would get default(T) instead of the
    // property's default (dotnet/runtime#84484). Constructor parameters keep their declared defaults.
    [JsonConstructor]
    internal Restriction(string name, IReadOnlyList<RestrictionRule>? rules, RestrictionAccess access = RestrictionAccess.Whitelist)
    {
        Name = name;
        Access = access;
        Rules = rules ?? [];
    }

    /// <summary>The name, 1–256 characters.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>Whitelist (the default) or blacklist.</summary>
    [JsonPropertyName("access")]
    public RestrictionAccess Access { get; init; } = RestrictionAccess.Whitelist;

    /// <summary>The rules; at least one.</summary>
    [JsonPropertyName("rules")]
    public IReadOnlyList<RestrictionRule> Rules { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(Restriction? other) =>
        other is not null && Name == other.Name && Access == other.Access && Rules.SequenceEqual(other.Rules);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Access, Rules.Count);
}

/// <summary>
/// One restriction rule. Exactly one of <see cref="Referrer"/>, <see cref="Geography"/> and
/// <see cref="ClientIp"/> is set (the JSON form is flat, as in Poppy).
/// </summary>
public sealed record RestrictionRule
{
    /// <summary>The rule's name (optional, up to 256 characters).</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>A referrer host name (no scheme).</summary>
    [JsonPropertyName("referrer")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Referrer { get; init; }

    /// <summary>An ISO 3166-1 alpha-2 code, or one of Poppy's country or region names.</summary>
    [JsonPropertyName("geography")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Geography { get; init; }

    /// <summary>An IPv4 or IPv6 address with an optional CIDR suffix.</summary>
    [JsonPropertyName("client_ip")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientIp { get; init; }

    /// <summary>The path the rule applies to; defaults to <c>/*</c>.</summary>
    [JsonPropertyName("request_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestUrl { get; init; }

    /// <summary>The kind of entity this rule matches, or <see langword="null"/> when not exactly one is set.</summary>
    [JsonIgnore]
    public RestrictionKind? Kind =>
        (Referrer is not null ? 1 : 0) + (Geography is not null ? 1 : 0) + (ClientIp is not null ? 1 : 0) != 1 ? null
        : Referrer is not null ? RestrictionKind.Referrer
        : Geography is not null ? RestrictionKind.Geography
        : RestrictionKind.ClientIp;

    /// <summary>The value of whichever entity is set.</summary>
    [JsonIgnore]
    public string? Value => Referrer ?? Geography ?? ClientIp;

    /// <summary>Creates a referrer rule.</summary>
    public static RestrictionRule ForReferrer(string referrer, string requestUrl = "/*", string? name = null) =>
        new() { Referrer = referrer, RequestUrl = requestUrl, Name = name };

    /// <summary>Creates a geography rule.</summary>
    public static RestrictionRule ForGeography(string geography, string requestUrl = "/*", string? name = null) =>
        new() { Geography = geography, RequestUrl = requestUrl, Name = name };

    /// <summary>Creates a client-IP rule.</summary>
    public static RestrictionRule ForClientIp(string clientIp, string requestUrl = "/*", string? name = null) =>
        new() { ClientIp = clientIp, RequestUrl = requestUrl, Name = name };
}
