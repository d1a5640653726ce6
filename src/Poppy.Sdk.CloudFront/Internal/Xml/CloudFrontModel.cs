namespace Poppy.Sdk.CloudFront.Internal.Xml;

// The parts of the CloudFront 2020-05-31 model this provider writes and reads. Member order on the wire
// follows botocore's service-2.json (CloudFront validates requests against an XML schema whose sequences
// are in that order); CloudFrontXml writes them in that order.

/// <summary>A <c>DistributionConfig</c>. Members this provider does not manage are kept as read (<see cref="Preserved"/>).</summary>
internal sealed class DistributionConfig
{
    public string CallerReference { get; set; } = "";

    public List<string> Aliases { get; set; } = [];

    public List<CfOrigin> Origins { get; set; } = [];

    public CacheBehavior DefaultCacheBehavior { get; set; } = new();

    public List<CacheBehavior> CacheBehaviors { get; set; } = [];

    public string Comment { get; set; } = "";

    public bool Enabled { get; set; } = true;

    public ViewerCertificate? ViewerCertificate { get; set; }

    public GeoRestriction? GeoRestriction { get; set; }

    /// <summary><c>CacheTagConfig/HeaderName</c>: the origin response header that carries cache tags; null when not set.</summary>
    public string? CacheTagHeaderName { get; set; }

    /// <summary>Members not managed here (Logging, WebACLId, PriceClass, …), by element name, written back unchanged.</summary>
    public Dictionary<string, XmlTree> Preserved { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy whose behaviours and lists can be changed without touching this one (origins, certificate and preserved members are shared: nothing changes them after translation).</summary>
    public DistributionConfig Copy()
    {
        var copy = (DistributionConfig)MemberwiseClone();
        copy.Aliases = [.. Aliases];
        copy.Origins = [.. Origins];
        copy.DefaultCacheBehavior = DefaultCacheBehavior.Copy();
        copy.CacheBehaviors = CacheBehaviors.Select(b => b.Copy()).ToList();
        copy.Preserved = new Dictionary<string, XmlTree>(Preserved, StringComparer.Ordinal);
        return copy;
    }
}

internal sealed class CfOrigin
{
    public string Id { get; set; } = "";

    public string DomainName { get; set; } = "";

    public string OriginPath { get; set; } = "";

    public int HttpPort { get; set; } = 80;

    public int HttpsPort { get; set; } = 443;

    /// <summary><c>http-only</c>, <c>match-viewer</c> or <c>https-only</c>; null for a non-custom (S3, VPC) origin.</summary>
    public string? ProtocolPolicy { get; set; }
}

/// <summary>A cache behaviour; <see cref="PathPattern"/> is null for the default behaviour.</summary>
internal sealed class CacheBehavior
{
    public string? PathPattern { get; set; }

    public string TargetOriginId { get; set; } = "";

    public string ViewerProtocolPolicy { get; set; } = "allow-all";

    public List<FunctionAssociation> FunctionAssociations { get; set; } = [];

    /// <summary>Headers forwarded to the origin and part of the cache key (<c>Host</c> passes the viewer's host).</summary>
    public List<string> ForwardedHeaders { get; set; } = [];

    /// <summary>Set when the behaviour uses a cache policy instead of the legacy TTL settings (not written by this provider).</summary>
    public string? CachePolicyId { get; set; }

    public long? MinTtl { get; set; }

    public long? DefaultTtl { get; set; }

    public long? MaxTtl { get; set; }

    public CacheBehavior Copy()
    {
        var copy = (CacheBehavior)MemberwiseClone();
        copy.FunctionAssociations = [.. FunctionAssociations];
        copy.ForwardedHeaders = [.. ForwardedHeaders];
        return copy;
    }
}

internal sealed record FunctionAssociation(string FunctionArn, string EventType);

internal sealed class ViewerCertificate
{
    public bool CloudFrontDefaultCertificate { get; set; }

    public string? AcmCertificateArn { get; set; }

    public string? IamCertificateId { get; set; }

    public string? SslSupportMethod { get; set; }

    public string? MinimumProtocolVersion { get; set; }
}

internal sealed class GeoRestriction
{
    /// <summary><c>whitelist</c>, <c>blacklist</c> or <c>none</c>.</summary>
    public string RestrictionType { get; set; } = "none";

    public List<string> Locations { get; set; } = [];
}

internal sealed class Distribution
{
    public string Id { get; set; } = "";

    public string Arn { get; set; } = "";

    /// <summary><c>InProgress</c> or <c>Deployed</c>.</summary>
    public string Status { get; set; } = "";

    public DateTimeOffset? LastModifiedTime { get; set; }

    public int InProgressInvalidationBatches { get; set; }

    public string DomainName { get; set; } = "";

    public DistributionConfig Config { get; set; } = new();
}

/// <summary>A <c>DistributionSummary</c> of a list (only what the provider needs).</summary>
internal sealed record DistributionSummary(string Id, string Arn, string Status, string DomainName, string Comment, bool Enabled, IReadOnlyList<string> Aliases);

internal sealed record DistributionList(IReadOnlyList<DistributionSummary> Items, bool IsTruncated, string? NextMarker);

internal sealed record Invalidation(string Id, string Status, DateTimeOffset? CreateTime, IReadOnlyList<string> Paths, string CallerReference);

internal sealed record InvalidationSummary(string Id, string Status);

internal sealed record InvalidationList(IReadOnlyList<InvalidationSummary> Items, bool IsTruncated, string? NextMarker);

internal sealed record FunctionSummary(string Name, string? Status, string Comment, string Runtime, string FunctionArn, string? Stage);

internal sealed record ErrorResponse(string? Type, string? Code, string? Message, string? RequestId);

/// <summary>A body and the <c>ETag</c> header that came with it.</summary>
internal sealed record Tagged<T>(T Value, string? ETag);
