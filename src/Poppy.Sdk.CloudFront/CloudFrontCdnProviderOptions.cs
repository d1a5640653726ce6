using System.Globalization;

namespace Poppy.Sdk.CloudFront;

/// <summary>
/// Options of <see cref="CloudFrontCdnProvider"/>: one AWS account (an access key). Bound from configuration
/// by <c>AddCloudFront(configuration)</c>, or set in code. <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class CloudFrontCdnProviderOptions
{
    /// <summary>The default <see cref="BaseAddress"/>: the global CloudFront endpoint.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://cloudfront.amazonaws.com/");

    /// <summary>The provider's name (default <c>cloudfront</c>); set by <c>AddCloudFront</c> from its <c>name</c> argument.</summary>
    public string Name { get; set; } = "cloudfront";

    /// <summary>The AWS access key id. Required.</summary>
    public string AccessKeyId { get; set; } = "";

    /// <summary>The AWS secret access key. Required. It never appears in a log, an exception message or <see cref="ToString"/>.</summary>
    public string SecretAccessKey { get; set; } = "";

    /// <summary>The session token of temporary (STS) credentials, sent as <c>X-Amz-Security-Token</c>; null for long-term keys.</summary>
    public string? SessionToken { get; set; }

    /// <summary>
    /// Supplies credentials for each request instead of the three properties above (for rotating or
    /// instance credentials). Called on every request, so it should cache.
    /// </summary>
    public Func<AwsCredentials>? CredentialsProvider { get; set; }

    /// <summary>The API base address; <c>https://cloudfront.amazonaws.com/</c> by default (an emulator's address in tests).</summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// The ACM certificate (in us-east-1) attached to every distribution that has an alternate domain name
    /// (alias); it must cover those domains. It is <b>required for any alias, HTTP included</b>: CloudFront
    /// accepts an alias only with a certificate that covers it. Without it only <c>shared</c> HTTPS domains
    /// (served on the distribution's <c>*.cloudfront.net</c> name) are supported; the plan
    /// (<see cref="CloudFrontCdnProvider.PlanService"/>), create and update refuse any other domain before a vendor call.
    /// </summary>
    public string? AcmCertificateArn { get; set; }

    /// <summary>The minimum TLS version offered to viewers with <see cref="AcmCertificateArn"/>. Default <c>TLSv1.2_2021</c>.</summary>
    public string MinimumProtocolVersion { get; set; } = "TLSv1.2_2021";

    /// <summary>
    /// The origin response header that carries cache tags (CloudFront's <c>CacheTagConfig</c>); when set, every
    /// distribution is configured with it and tag purges are supported. Null (the default): tag purges are not.
    /// </summary>
    public string? CacheTagHeaderName { get; set; }

    /// <summary>How often deployments and invalidations are polled. Default 20 s (CloudFront deploys in minutes).</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The <see cref="CdnRateLimitedException.RetryAfter"/> of a purge refused because CloudFront's in-flight invalidation
    /// limits are full: how soon the composite's purge operation tries the batch again. Default 5 s: CloudFront gives no
    /// completion estimate, so a queued batch goes at most this long after room appears (invalidations take minutes),
    /// at the cost of one refused call per interval while it waits.
    /// </summary>
    public TimeSpan InvalidationRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Write requests (every non-GET control-plane call) per second this account should be paced to; 0 (the default)
    /// leaves them unpaced, because AWS publishes no CloudFront control-plane request rate (throttling answers 400
    /// <c>Throttling</c>, which the HTTP retry handles). Set it when several instances share an account that is throttled.
    /// </summary>
    public int WriteRequestsPerSecond { get; set; }

    /// <summary>Write requests allowed in a burst when <see cref="WriteRequestsPerSecond"/> is set; defaults to that rate.</summary>
    public int WriteBurst { get; set; }

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem, in words; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var who = $"CloudFront provider '{Name}'";
        if (CredentialsProvider is null)
        {
            if (string.IsNullOrWhiteSpace(AccessKeyId) || string.IsNullOrWhiteSpace(SecretAccessKey))
            {
                problems.Add($"{who}: AccessKeyId and SecretAccessKey are required (an IAM access key allowed to manage CloudFront); set them from a secret store or configuration, for example the keys CloudFront:AccessKeyId and CloudFront:SecretAccessKey (the \"CloudFront\" section beside \"Poppy\", bound with AddCloudFront(configuration.GetSection(\"CloudFront\"))).");
            }
            else if (AccessKeyId.Any(c => char.IsControl(c) || c == ' ') || SecretAccessKey.Any(c => char.IsControl(c) || c == ' '))
            {
                problems.Add($"{who}: AccessKeyId or SecretAccessKey contains spaces or control characters; check how it was copied.");
            }
        }

        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttps && BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{who}: BaseAddress must be an absolute http(s) URI such as https://cloudfront.amazonaws.com/.");
        }

        if (AcmCertificateArn is { } arn && !string.IsNullOrWhiteSpace(arn) && !arn.StartsWith("arn:aws", StringComparison.Ordinal))
        {
            problems.Add($"{who}: AcmCertificateArn must be an ACM certificate ARN (arn:aws:acm:us-east-1:…).");
        }

        if (CacheTagHeaderName is { } header && !string.IsNullOrWhiteSpace(header) && header.Any(c => c <= ' ' || c >= 127 || c == ':'))
        {
            problems.Add($"{who}: CacheTagHeaderName must be an HTTP header name.");
        }

        if (InvalidationRetryInterval <= TimeSpan.Zero)
        {
            problems.Add($"{who}: InvalidationRetryInterval must be positive.");
        }

        if (PollingInterval <= TimeSpan.Zero)
        {
            problems.Add($"{who}: PollingInterval must be positive.");
        }

        if (WriteRequestsPerSecond < 0 || WriteBurst < 0)
        {
            problems.Add($"{who}: WriteRequestsPerSecond and WriteBurst cannot be negative.");
        }

        return problems;
    }

    /// <summary>Describes the options without the secret.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"CloudFrontCdnProviderOptions {{ Name = {Name}, BaseAddress = {BaseAddress}, AccessKeyId = {AccessKeyId}, SecretAccessKey = {(string.IsNullOrEmpty(SecretAccessKey) ? "(not set)" : "(set, hidden)")}, SessionToken = {(string.IsNullOrEmpty(SessionToken) ? "(not set)" : "(set, hidden)")}, AcmCertificateArn = {AcmCertificateArn}, CacheTagHeaderName = {CacheTagHeaderName}, PollingInterval = {PollingInterval}, InvalidationRetryInterval = {InvalidationRetryInterval}, WriteRequestsPerSecond = {WriteRequestsPerSecond} }}");

    /// <summary>The credentials to sign with.</summary>
    internal AwsCredentials Credentials() => CredentialsProvider?.Invoke() ?? new AwsCredentials(AccessKeyId, SecretAccessKey, string.IsNullOrEmpty(SessionToken) ? null : SessionToken);

    internal CloudFrontCdnProviderOptions Clone() => (CloudFrontCdnProviderOptions)MemberwiseClone();
}
