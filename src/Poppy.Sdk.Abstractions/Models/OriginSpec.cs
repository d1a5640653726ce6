using System.Text.Json.Serialization;

namespace Poppy.Sdk.Models;

/// <summary>An origin server the CDN fetches from.</summary>
public sealed record OriginSpec
{
    /// <summary>Creates an empty origin (for serializers and object initializers).</summary>
    public OriginSpec()
    {
    }

    /// <summary>Creates an origin.</summary>
    /// <param name="origin">Host name or IP literal, with no scheme, path or port.</param>
    /// <param name="port">The port: 80, 443 or 1024–65535.</param>
    /// <param name="ssl">Whether the CDN talks TLS to the origin.</param>
    public OriginSpec(string origin, int port = 80, bool ssl = false)
    {
        Origin = origin;
        Port = port;
        Ssl = ssl;
    }

    // The serializer's constructor: System.Text.Json source generation sets every init-only property
    // through an object initializer, so a field absent from the JSON would get default(T) instead of the
    // property's default (dotnet/runtime#84484). Constructor parameters keep their declared defaults.
    [JsonConstructor]
    internal OriginSpec(string origin, IReadOnlyList<PathRule>? rules, int port = 80, bool ssl = false, HostHeaderType hostHeaderType = HostHeaderType.Domain, string? hostHeaderValue = null)
        : this(origin, port, ssl)
    {
        Rules = rules ?? [];
        HostHeaderType = hostHeaderType;
        HostHeaderValue = hostHeaderValue;
    }

    /// <summary>The origin's host name or IPv4/IPv6 literal.</summary>
    [JsonPropertyName("origin")]
    public string Origin { get; init; } = "";

    /// <summary>The origin port; defaults to 80.</summary>
    [JsonPropertyName("port")]
    public int Port { get; init; } = 80;

    /// <summary>Whether the CDN connects to the origin over TLS; defaults to false.</summary>
    [JsonPropertyName("ssl")]
    public bool Ssl { get; init; }

    /// <summary>The request paths routed to this origin. The first origin defaults to <c>{default, /*}</c>.</summary>
    [JsonPropertyName("rules")]
    public IReadOnlyList<PathRule> Rules { get; init; } = [];

    /// <summary>Which <c>Host</c> header is sent to the origin; defaults to <see cref="Models.HostHeaderType.Domain"/>.</summary>
    [JsonPropertyName("hostheadertype")]
    public HostHeaderType HostHeaderType { get; init; } = HostHeaderType.Domain;

    /// <summary>The fixed host header for <see cref="Models.HostHeaderType.Custom"/> (the origin host for <see cref="Models.HostHeaderType.Origin"/>).</summary>
    [JsonPropertyName("hostheadervalue")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HostHeaderValue { get; init; }

    /// <inheritdoc />
    public bool Equals(OriginSpec? other) =>
        other is not null && Origin == other.Origin && Port == other.Port && Ssl == other.Ssl &&
        Rules.SequenceEqual(other.Rules) && HostHeaderType == other.HostHeaderType && HostHeaderValue == other.HostHeaderValue;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Origin, Port, Ssl, Rules.Count, HostHeaderType, HostHeaderValue);
}
