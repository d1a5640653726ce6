using System.Xml.Linq;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>Options of the emulated Amazon CloudFront API.</summary>
public sealed class CloudFrontEmulatorOptions
{
    /// <summary>The default access key id the emulator accepts.</summary>
    public const string DefaultAccessKeyId = "AKIDPOPPYEMULATOR";

    /// <summary>The default secret access key the emulator verifies signatures with.</summary>
    public const string DefaultSecretAccessKey = "emulator-cloudfront-secret-access-key";

    /// <summary>The default AWS account id in ARNs.</summary>
    public const string DefaultAccountId = "123456789012";

    /// <summary>The access key id requests must be signed with. Default <see cref="DefaultAccessKeyId"/>.</summary>
    public string AccessKeyId { get; set; } = DefaultAccessKeyId;

    /// <summary>
    /// The secret access key Signature V4 is verified with. Default <see cref="DefaultSecretAccessKey"/>.
    /// Read on every request, so changing it emulates a key rotated at AWS.
    /// </summary>
    public string SecretAccessKey { get; set; } = DefaultSecretAccessKey;

    /// <summary>
    /// The session token of temporary credentials. When set, requests must carry it as
    /// <c>X-Amz-Security-Token</c>; when null, a request carrying any token is refused. Default null.
    /// </summary>
    public string? SessionToken { get; set; }

    /// <summary>The 12-digit AWS account id in ARNs. Default <see cref="DefaultAccountId"/>.</summary>
    public string AccountId { get; set; } = DefaultAccountId;

    /// <summary>How long an invalidation stays <c>InProgress</c> before it is <c>Completed</c>, on the emulator's clock. Default 30 s.</summary>
    public TimeSpan InvalidationDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Alternate domain names (CNAMEs) allowed per distribution (AWS default quota 100).</summary>
    public int MaxAliasesPerDistribution { get; set; } = 100;

    /// <summary>Cache behaviours allowed per distribution, the default one not counted (AWS default quota 75).</summary>
    public int MaxCacheBehaviorsPerDistribution { get; set; } = 75;

    /// <summary>Individual (non-wildcard) invalidation paths allowed in progress per distribution (AWS quota 3,000); also the largest batch.</summary>
    public int MaxInvalidationPathsInProgress { get; set; } = 3000;

    /// <summary>Wildcard invalidation paths allowed in progress per distribution (AWS quota 15).</summary>
    public int MaxWildcardInvalidationPathsInProgress { get; set; } = 15;

    /// <summary>The largest CloudFront Function code in bytes (AWS quota 10 KB).</summary>
    public int MaxFunctionCodeSize { get; set; } = 10 * 1024;

    /// <summary>The host name suffix of distribution domain names.</summary>
    public string DomainSuffix { get; set; } = "cloudfront.net";
}

/// <summary>A distribution held by the emulated CloudFront (inspection snapshot).</summary>
/// <param name="Id">The distribution id (<c>E…</c>).</param>
/// <param name="Arn">The ARN.</param>
/// <param name="DomainName">The CloudFront domain name (<c>d….cloudfront.net</c>).</param>
/// <param name="ETag">The current ETag.</param>
/// <param name="Status"><c>InProgress</c> or <c>Deployed</c>, now.</param>
/// <param name="Enabled">Whether the config is enabled.</param>
/// <param name="CallerReference">The caller reference it was created with.</param>
/// <param name="LastModifiedTime">When its config last changed.</param>
/// <param name="Config">A copy of the stored <c>DistributionConfig</c> element, as the client sent it (members in the model's order).</param>
/// <param name="Tags">Its tags.</param>
public sealed record CloudFrontDistributionSnapshot(
    string Id,
    string Arn,
    string DomainName,
    string ETag,
    string Status,
    bool Enabled,
    string CallerReference,
    DateTimeOffset LastModifiedTime,
    XElement Config,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>A CloudFront Function held by the emulated CloudFront (inspection snapshot).</summary>
/// <param name="Name">The function name.</param>
/// <param name="Arn">The function ARN.</param>
/// <param name="Runtime">The runtime (<c>cloudfront-js-1.0</c> or <c>cloudfront-js-2.0</c>).</param>
/// <param name="Comment">The comment.</param>
/// <param name="DevelopmentCode">The code of the <c>DEVELOPMENT</c> stage.</param>
/// <param name="DevelopmentETag">The ETag of the <c>DEVELOPMENT</c> stage.</param>
/// <param name="LiveCode">The code of the <c>LIVE</c> stage, or null when never published.</param>
/// <param name="LiveETag">The ETag of the <c>LIVE</c> stage, or null when never published.</param>
/// <param name="Status"><c>UNPUBLISHED</c>, <c>UNASSOCIATED</c> or <c>DEPLOYED</c>.</param>
public sealed record CloudFrontFunctionSnapshot(
    string Name,
    string Arn,
    string Runtime,
    string Comment,
    ReadOnlyMemory<byte> DevelopmentCode,
    string DevelopmentETag,
    ReadOnlyMemory<byte>? LiveCode,
    string? LiveETag,
    string Status);

/// <summary>An invalidation held by the emulated CloudFront (inspection snapshot).</summary>
/// <param name="DistributionId">The distribution it invalidates.</param>
/// <param name="Id">The invalidation id (<c>I…</c>).</param>
/// <param name="CallerReference">The caller reference of the batch.</param>
/// <param name="Paths">The paths, in the order sent.</param>
/// <param name="Status"><c>InProgress</c> or <c>Completed</c>, now.</param>
/// <param name="CreateTime">When it was created.</param>
public sealed record CloudFrontInvalidationSnapshot(
    string DistributionId,
    string Id,
    string CallerReference,
    IReadOnlyList<string> Paths,
    string Status,
    DateTimeOffset CreateTime);

/// <summary>One path a completed invalidation removed from the (emulated) edge caches.</summary>
/// <param name="DistributionId">The distribution.</param>
/// <param name="InvalidationId">The invalidation it belonged to.</param>
/// <param name="Path">The path (<c>/a.css</c>, <c>/images/*</c>, or a <c>#tag</c>).</param>
/// <param name="CompletedTime">When the invalidation completed.</param>
public sealed record CloudFrontInvalidatedPath(string DistributionId, string InvalidationId, string Path, DateTimeOffset CompletedTime);
