using System.Text.Json.Serialization;

namespace Poppy.Sdk.Models;

/// <summary>The protocol a domain is served over.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DomainProtocol>))]
public enum DomainProtocol
{
    /// <summary>Plain HTTP (the default).</summary>
    [JsonStringEnumMemberName("http")] Http = 0,

    /// <summary>HTTPS; requires a <see cref="CertificateKind"/>.</summary>
    [JsonStringEnumMemberName("https")] Https = 1,
}

/// <summary>The kind of TLS certificate an HTTPS domain uses.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CertificateKind>))]
public enum CertificateKind
{
    /// <summary>A host under the provider's shared wildcard certificate; the domain is a single label.</summary>
    [JsonStringEnumMemberName("shared")] Shared = 0,

    /// <summary>The domain is added to a multi-domain (SAN) certificate.</summary>
    [JsonStringEnumMemberName("san")] San = 1,

    /// <summary>A dedicated certificate served by SNI.</summary>
    [JsonStringEnumMemberName("sni")] Sni = 2,

    /// <summary>A certificate the customer supplies.</summary>
    [JsonStringEnumMemberName("custom")] Custom = 3,
}

/// <summary>Which <c>Host</c> header the CDN sends to an origin.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HostHeaderType>))]
public enum HostHeaderType
{
    /// <summary>The domain the viewer requested (the default).</summary>
    [JsonStringEnumMemberName("domain")] Domain = 0,

    /// <summary>The origin's host name.</summary>
    [JsonStringEnumMemberName("origin")] Origin = 1,

    /// <summary>A fixed value from <see cref="OriginSpec.HostHeaderValue"/>.</summary>
    [JsonStringEnumMemberName("custom")] Custom = 2,
}

/// <summary>Whether a restriction allows or denies the requests its rules match.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestrictionAccess>))]
public enum RestrictionAccess
{
    /// <summary>Only matching requests are allowed (the default).</summary>
    [JsonStringEnumMemberName("whitelist")] Whitelist = 0,

    /// <summary>Matching requests are denied.</summary>
    [JsonStringEnumMemberName("blacklist")] Blacklist = 1,
}

/// <summary>The entity a restriction rule matches on.</summary>
public enum RestrictionKind
{
    /// <summary>The <c>Referer</c> header's host.</summary>
    Referrer = 0,

    /// <summary>The viewer's country.</summary>
    Geography = 1,

    /// <summary>The viewer's IP address or network.</summary>
    ClientIp = 2,
}
