using System.Globalization;

namespace Poppy.Sdk.Fastly;

/// <summary>
/// Options of <see cref="FastlyCdnProvider"/>: one Fastly account (API token). Bound from configuration
/// by <c>AddFastly(configuration)</c>, or set in code. <see cref="ToString"/> never shows the token.
/// </summary>
public sealed class FastlyCdnProviderOptions
{
    /// <summary>The default <see cref="BaseAddress"/>: the Fastly API.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://api.fastly.com/");

    /// <summary>
    /// The default <see cref="AccessUrlTarget"/>: the CNAME target Fastly documents for HTTP-only
    /// (non-TLS) hostnames routed over its whole global network.
    /// </summary>
    public const string DefaultAccessUrlTarget = "dualstack.nonssl.global.fastly.net";

    /// <summary>The default <see cref="SharedCertificateDomain"/>: Fastly's shared wildcard certificate domain.</summary>
    public const string DefaultSharedCertificateDomain = "global.ssl.fastly.net";

    /// <summary>The provider's name (default <c>fastly</c>); set by <c>AddFastly</c> from its <c>name</c> argument.</summary>
    public string Name { get; set; } = "fastly";

    /// <summary>
    /// The Fastly API token, sent as the <c>Fastly-Key</c> header. Required. It needs the
    /// <c>global</c> scope (create, update, delete) and the purge scopes to purge. It never appears in
    /// a log, an exception message or <see cref="ToString"/>.
    /// </summary>
    public string ApiToken { get; set; } = "";

    /// <summary>The API base address; <c>https://api.fastly.com/</c> by default (an emulator's address in tests).</summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// The CNAME target reported as the access URL of each HTTP domain. Default
    /// <c>dualstack.nonssl.global.fastly.net</c> (Fastly's documented non-TLS hostname). The token
    /// <c>{domain}</c> is replaced by the domain, so the legacy per-domain form used by OpenStack Poppy
    /// can be had with <c>{domain}.global.prod.fastly.net</c>; <c>dualstack.nonssl.us-eu.fastly.net</c>
    /// limits traffic to North American and European POPs.
    /// </summary>
    public string AccessUrlTarget { get; set; } = DefaultAccessUrlTarget;

    /// <summary>
    /// The domain of Fastly's shared TLS certificate. An HTTPS domain with a <c>shared</c> certificate is
    /// a single label (<c>mysite</c>) and is attached to the service as <c>mysite.global.ssl.fastly.net</c>,
    /// which is also its access URL (no CNAME is needed).
    /// </summary>
    public string SharedCertificateDomain { get; set; } = DefaultSharedCertificateDomain;

    /// <summary>
    /// Purge calls per second this account should be paced to by the composite client; 0 (the default)
    /// leaves purges unpaced, because Fastly documents that URL and surrogate-key purges are not
    /// rate limited (a purge-all counts against the API's 1,000 writes per hour).
    /// </summary>
    public int PurgeRequestsPerSecond { get; set; }

    /// <summary>Purge calls allowed in a burst when <see cref="PurgeRequestsPerSecond"/> is set; defaults to that rate.</summary>
    public int PurgeBurst { get; set; }

    /// <summary>
    /// The account's limit of non-read API requests per hour (Fastly's documented default is 1,000 per user token; an
    /// account with a raised limit sets its own). Every instance that registers the account under the same name and
    /// shares a rate budget store (<c>UseRedisRateLimits</c>) paces its writes to it together: half as a burst, the rest
    /// spread over the hour, so no hour sees more. GET requests and URL or surrogate-key purges are not counted; a
    /// purge-all is. 0 turns write pacing off.
    /// </summary>
    public int WriteRequestsPerHour { get; set; } = DefaultWriteRequestsPerHour;

    /// <summary>Fastly's documented default limit of non-read API requests per hour and user token.</summary>
    public const int DefaultWriteRequestsPerHour = 1_000;

    /// <summary>The body of the <c>403</c> response served to requests a restriction denies.</summary>
    public string ForbiddenResponseContent { get; set; } = "Forbidden";

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem, in words; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var who = $"Fastly provider '{Name}'";
        if (string.IsNullOrWhiteSpace(ApiToken))
        {
            problems.Add($"{who}: ApiToken is required (the Fastly API token sent as the Fastly-Key header); set it from a secret store or configuration, for example the key Fastly:ApiToken (the \"Fastly\" section beside \"Poppy\", bound with AddFastly(configuration.GetSection(\"Fastly\"))).");
        }
        else if (ApiToken.Any(c => char.IsControl(c) || c == ' '))
        {
            problems.Add($"{who}: ApiToken contains spaces or control characters; check how it was copied.");
        }

        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttps && BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{who}: BaseAddress must be an absolute http(s) URI such as https://api.fastly.com/.");
        }

        if (string.IsNullOrWhiteSpace(AccessUrlTarget))
        {
            problems.Add($"{who}: AccessUrlTarget is required (for example {DefaultAccessUrlTarget}).");
        }

        if (string.IsNullOrWhiteSpace(SharedCertificateDomain) || SharedCertificateDomain.StartsWith('.') || SharedCertificateDomain.Contains(' ', StringComparison.Ordinal))
        {
            problems.Add($"{who}: SharedCertificateDomain must be a domain such as {DefaultSharedCertificateDomain}.");
        }

        if (PurgeRequestsPerSecond < 0 || PurgeBurst < 0)
        {
            problems.Add($"{who}: PurgeRequestsPerSecond and PurgeBurst cannot be negative.");
        }

        if (WriteRequestsPerHour is < 0 or 1)
        {
            problems.Add($"{who}: WriteRequestsPerHour must be 0 (unpaced) or at least 2 (Fastly's default is {DefaultWriteRequestsPerHour}).");
        }

        return problems;
    }

    /// <summary>Describes the options without the token.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"FastlyCdnProviderOptions {{ Name = {Name}, BaseAddress = {BaseAddress}, ApiToken = {(string.IsNullOrEmpty(ApiToken) ? "(not set)" : "(set, hidden)")}, AccessUrlTarget = {AccessUrlTarget}, SharedCertificateDomain = {SharedCertificateDomain}, PurgeRequestsPerSecond = {PurgeRequestsPerSecond}, WriteRequestsPerHour = {WriteRequestsPerHour} }}");

    internal FastlyCdnProviderOptions Clone() => (FastlyCdnProviderOptions)MemberwiseClone();
}
