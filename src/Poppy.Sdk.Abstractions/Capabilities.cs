using Poppy.Sdk.Models;

namespace Poppy.Sdk;

/// <summary>Restriction kinds × access modes a provider can enforce.</summary>
[Flags]
public enum RestrictionSupport
{
    /// <summary>No restrictions.</summary>
    None = 0,

    /// <summary>Allow only listed referrers.</summary>
    ReferrerWhitelist = 1 << 0,

    /// <summary>Deny listed referrers.</summary>
    ReferrerBlacklist = 1 << 1,

    /// <summary>Allow only listed countries.</summary>
    GeographyWhitelist = 1 << 2,

    /// <summary>Deny listed countries.</summary>
    GeographyBlacklist = 1 << 3,

    /// <summary>Allow only listed client IPs.</summary>
    ClientIpWhitelist = 1 << 4,

    /// <summary>Deny listed client IPs.</summary>
    ClientIpBlacklist = 1 << 5,

    /// <summary>Everything.</summary>
    All = ReferrerWhitelist | ReferrerBlacklist | GeographyWhitelist | GeographyBlacklist | ClientIpWhitelist | ClientIpBlacklist,
}

/// <summary>Host header modes a provider honours.</summary>
[Flags]
public enum HostHeaderSupport
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><see cref="HostHeaderType.Domain"/>.</summary>
    Domain = 1,

    /// <summary><see cref="HostHeaderType.Origin"/>.</summary>
    Origin = 2,

    /// <summary><see cref="HostHeaderType.Custom"/>.</summary>
    Custom = 4,

    /// <summary>All three.</summary>
    All = Domain | Origin | Custom,
}

/// <summary>Certificate kinds a provider can serve.</summary>
[Flags]
public enum CertificateSupport
{
    /// <summary>None (HTTP only).</summary>
    None = 0,

    /// <summary><see cref="CertificateKind.Shared"/>.</summary>
    Shared = 1,

    /// <summary><see cref="CertificateKind.San"/>.</summary>
    San = 2,

    /// <summary><see cref="CertificateKind.Sni"/>.</summary>
    Sni = 4,

    /// <summary><see cref="CertificateKind.Custom"/>.</summary>
    Custom = 8,

    /// <summary>All four.</summary>
    All = Shared | San | Sni | Custom,
}

/// <summary>Purge kinds a provider supports (natively or by a documented emulation).</summary>
[Flags]
public enum PurgeSupport
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>By full URL or path.</summary>
    Url = 1,

    /// <summary>Everything under a path prefix.</summary>
    Prefix = 2,

    /// <summary>By tag / surrogate key / cache tag.</summary>
    Tag = 4,

    /// <summary>Everything on a host name.</summary>
    Host = 8,

    /// <summary>Everything in the service.</summary>
    All = 16,

    /// <summary>Soft purge (mark stale instead of evict).</summary>
    Soft = 32,
}

/// <summary>How fast a provider accepts purge requests: a token bucket per vendor account.</summary>
/// <param name="RequestsPerPeriod">Tokens added each period.</param>
/// <param name="Period">The replenishment period.</param>
/// <param name="Burst">The bucket size.</param>
public sealed record PurgeRateLimit(int RequestsPerPeriod, TimeSpan Period, int Burst);

/// <summary>
/// How fast a provider may send the vendor API requests its account's write limit counts (Fastly's non-read requests,
/// every Akamai PAPI or Cloudflare API request): a token bucket per vendor account, shared by every instance that uses
/// the same rate budget store. Each counted HTTP request, not each create or update, takes one token.
/// </summary>
/// <param name="RequestsPerPeriod">Tokens added each period.</param>
/// <param name="Period">The replenishment period.</param>
/// <param name="Burst">The bucket size.</param>
public sealed record WriteRateLimit(int RequestsPerPeriod, TimeSpan Period, int Burst);

/// <summary>What a provider can honour. The composite client checks every spec against it before any vendor call.</summary>
public sealed record CdnCapabilities
{
    /// <summary>Restriction kinds × access modes.</summary>
    public RestrictionSupport Restrictions { get; init; }

    /// <summary>
    /// The restriction kinds × access modes that can apply to a path other than <c>/*</c> (for example
    /// CloudFront restricts geography only for a whole distribution, but referrers and client IPs per path).
    /// </summary>
    public RestrictionSupport PerPathRestrictions { get; init; }

    /// <summary>Whether caching rules can differ per path (otherwise only a <c>/*</c> rule).</summary>
    public bool PerPathCaching { get; init; }

    /// <summary>Whether more than one origin, routed by path rules, is supported.</summary>
    public bool MultipleOrigins { get; init; }

    /// <summary>Host header modes.</summary>
    public HostHeaderSupport HostHeaders { get; init; } = HostHeaderSupport.Domain;

    /// <summary>Origin ports supported; null means every port the model allows.</summary>
    public IReadOnlySet<int>? OriginPorts { get; init; }

    /// <summary>Whether IPv6 literal origins are supported.</summary>
    public bool Ipv6Origins { get; init; }

    /// <summary>Whether an origin may be an IP address rather than a DNS name (CloudFront, for one, needs names). Default true.</summary>
    public bool IpAddressOrigins { get; init; } = true;

    /// <summary>Certificate kinds for HTTPS domains.</summary>
    public CertificateSupport Certificates { get; init; }

    /// <summary>Purge kinds, plus <see cref="PurgeSupport.Soft"/> when soft purge is possible.</summary>
    public PurgeSupport Purge { get; init; }

    /// <summary>Whether access logs can be delivered.</summary>
    public bool LogDelivery { get; init; }

    /// <summary>Most domains one service may have on this provider.</summary>
    public int MaxDomains { get; init; } = 10;

    /// <summary>Most origins one service may have on this provider.</summary>
    public int MaxOrigins { get; init; } = 10;

    /// <summary>Most rules (origin, caching and restriction rules together) one service may have.</summary>
    public int MaxRules { get; init; } = 100;

    /// <summary>Most items one purge call may carry (URLs, prefixes, tags or hosts).</summary>
    public int MaxPurgeBatchSize { get; init; } = 100;

    /// <summary>The vendor's documented purge pacing for one account; null when unpaced.</summary>
    public PurgeRateLimit? PurgeRateLimit { get; init; }

    /// <summary>
    /// The pacing of the vendor API requests the account's rate limit counts (writes, or every request where the vendor
    /// counts reads too), applied to each counted HTTP request by the provider's HTTP pipeline; null when unpaced.
    /// </summary>
    public WriteRateLimit? WriteRateLimit { get; init; }

    /// <summary>Whether create, update and delete complete asynchronously (operations must be polled).</summary>
    public bool AsynchronousDeployment { get; init; }

    /// <summary>Everything the neutral model can express, unpaced: what the in-memory provider honours by default.</summary>
    public static CdnCapabilities Everything { get; } = new()
    {
        Restrictions = RestrictionSupport.All,
        PerPathRestrictions = RestrictionSupport.All,
        PerPathCaching = true,
        MultipleOrigins = true,
        HostHeaders = HostHeaderSupport.All,
        Ipv6Origins = true,
        Certificates = CertificateSupport.All,
        Purge = PurgeSupport.Url | PurgeSupport.Prefix | PurgeSupport.Tag | PurgeSupport.Host | PurgeSupport.All | PurgeSupport.Soft,
        LogDelivery = true,
    };
}
