using System.Globalization;

namespace Poppy.Sdk.Cloudflare;

/// <summary>The Cloudflare plan of the SaaS zone: its limits differ (rule counts, minimum edge TTL, purge rates).</summary>
public enum CloudflarePlanTier
{
    /// <summary>Free: 10 cache and origin rules, 5 custom firewall rules, edge TTL at least 2 hours, 5 purge requests a minute (bucket 25).</summary>
    Free = 0,

    /// <summary>Pro: 25 cache and origin rules, 20 custom firewall rules, edge TTL at least 1 hour, 5 purge requests a second (bucket 25).</summary>
    Pro = 1,

    /// <summary>Business: 50 cache and origin rules, 100 custom firewall rules, edge TTL at least 1 second, 10 purge requests a second (bucket 50).</summary>
    Business = 2,

    /// <summary>Enterprise: 300 cache and origin rules, 1,000 custom firewall rules, edge TTL at least 1 second, 50 purge requests a second (bucket 500), 500 URLs per purge call.</summary>
    Enterprise = 3,
}

/// <summary>What the provider does with the SaaS zone's fallback origin.</summary>
public enum CloudflareFallbackOriginPolicy
{
    /// <summary>Leave it alone (the default): it is the zone owner's setting.</summary>
    Leave = 0,

    /// <summary>Before the first create, make sure it is <see cref="CloudflareCdnProviderOptions.FallbackOrigin"/> (read it, and set it only when it differs).</summary>
    Ensure = 1,
}

/// <summary>How Cloudflare validates the DV certificate of an HTTPS domain whose certificate kind is <c>sni</c>.</summary>
public enum CloudflareValidationMethod
{
    /// <summary>HTTP: Cloudflare validates once the domain's CNAME points at the SaaS zone (the default).</summary>
    Http = 0,

    /// <summary>TXT: the domain owner publishes a TXT record (before moving traffic).</summary>
    Txt = 1,
}

/// <summary>
/// Options of <see cref="CloudflareCdnProvider"/>: one Cloudflare for SaaS zone and the API token that manages it. Bound
/// from configuration by <c>AddCloudflare(configuration)</c> (the <c>Cloudflare</c> section beside <c>Poppy</c>), or set
/// in code. <see cref="ToString"/> never shows the token.
/// </summary>
public sealed class CloudflareCdnProviderOptions
{
    /// <summary>The default <see cref="BaseAddress"/>: the Cloudflare v4 API.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://api.cloudflare.com/client/v4/");

    /// <summary>The provider's name (default <c>cloudflare</c>); set by <c>AddCloudflare</c> from its <c>name</c> argument.</summary>
    public string Name { get; set; } = "cloudflare";

    /// <summary>
    /// The API token, sent as <c>Authorization: Bearer</c>. Required. It needs, on the SaaS zone: SSL and Certificates
    /// Edit (custom hostnames), Zone WAF Edit, Cache Rules Edit, Origin Rules Edit (the phase entry points), Cache Purge
    /// and Zone Read. It never appears in a log, an exception message or <see cref="ToString"/>.
    /// </summary>
    public string ApiToken { get; set; } = "";

    /// <summary>The account id (shown in messages and the purge pacing key; not sent on zone-scoped calls).</summary>
    public string AccountId { get; set; } = "";

    /// <summary>The id of the SaaS zone customer domains attach to as custom hostnames. Required.</summary>
    public string ZoneId { get; set; } = "";

    /// <summary>The zone's plan; <see cref="CloudflarePlanTier.Free"/> by default, the strictest, so the offline plan never accepts what the zone would refuse.</summary>
    public CloudflarePlanTier Plan { get; set; } = CloudflarePlanTier.Free;

    /// <summary>
    /// The host name customer domains point their CNAME at (reported as each domain's access URL), for example
    /// <c>customers.saas.example</c>. When empty, <see cref="FallbackOrigin"/> is used.
    /// </summary>
    public string CnameTarget { get; set; } = "";

    /// <summary>The SaaS zone's fallback origin host (a proxied record in the zone); used by <see cref="FallbackOriginPolicy"/>.</summary>
    public string FallbackOrigin { get; set; } = "";

    /// <summary>Whether the provider manages the fallback origin; <see cref="CloudflareFallbackOriginPolicy.Leave"/> by default.</summary>
    public CloudflareFallbackOriginPolicy FallbackOriginPolicy { get; set; } = CloudflareFallbackOriginPolicy.Leave;

    /// <summary>The DV validation method of <c>sni</c> HTTPS domains (<c>san</c> domains always use TXT); HTTP by default.</summary>
    public CloudflareValidationMethod ValidationMethod { get; set; } = CloudflareValidationMethod.Http;

    /// <summary>
    /// Cloudflare has no soft purge. When true, a soft purge request is carried out as a hard purge (reported in
    /// <see cref="PurgeResult.Emulation"/>); when false (the default) it is refused before any call.
    /// </summary>
    public bool TreatSoftPurgeAsHard { get; set; }

    /// <summary>How often a pending deployment (custom hostname and certificate validation) is polled; 30 seconds by default.</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// API requests the token may make per five minutes (Cloudflare's global limit: 1,200 per user or account token,
    /// reads included, counted together with the dashboard; Enterprise accounts can have it raised). Every instance that
    /// registers the account under the same name and shares a rate budget store (<c>UseRedisRateLimits</c>) paces its
    /// requests to it together: half as a burst, the rest spread over the five minutes, so no five minutes see more.
    /// 0 turns pacing off.
    /// </summary>
    public int ApiRequestsPerFiveMinutes { get; set; } = DefaultApiRequestsPerFiveMinutes;

    /// <summary>Cloudflare's documented global API limit: 1,200 requests per five minutes per user or token.</summary>
    public const int DefaultApiRequestsPerFiveMinutes = 1_200;

    /// <summary>The API base address; <c>https://api.cloudflare.com/client/v4/</c> by default (an emulator's address in tests).</summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>The host name reported as each domain's access URL: <see cref="CnameTarget"/>, else <see cref="FallbackOrigin"/>.</summary>
    internal string AccessTarget => string.IsNullOrWhiteSpace(CnameTarget) ? FallbackOrigin : CnameTarget;

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem, in words; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var who = $"Cloudflare provider '{Name}'";
        if (string.IsNullOrWhiteSpace(ApiToken))
        {
            problems.Add($"{who}: ApiToken is required (a scoped Cloudflare API token sent as a Bearer token); set it from a secret store or configuration, for example the key Cloudflare:ApiToken (the \"Cloudflare\" section beside \"Poppy\", bound with AddCloudflare(configuration.GetSection(\"Cloudflare\"))).");
        }
        else if (ApiToken.Any(c => char.IsControl(c) || c == ' '))
        {
            problems.Add($"{who}: ApiToken contains spaces or control characters; check how it was copied.");
        }

        if (string.IsNullOrWhiteSpace(ZoneId) || !ZoneId.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"{who}: ZoneId is required: the id (letters and digits) of the Cloudflare for SaaS zone customer domains attach to (key Cloudflare:ZoneId).");
        }

        if (!string.IsNullOrEmpty(AccountId) && !AccountId.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"{who}: AccountId must be letters and digits.");
        }

        if (string.IsNullOrWhiteSpace(AccessTarget))
        {
            problems.Add($"{who}: CnameTarget (or FallbackOrigin) is required: the host name customer domains point their CNAME at.");
        }
        else if (Uri.CheckHostName(AccessTarget) != UriHostNameType.Dns)
        {
            problems.Add($"{who}: CnameTarget/FallbackOrigin '{AccessTarget}' is not a host name.");
        }

        if (FallbackOriginPolicy == CloudflareFallbackOriginPolicy.Ensure && Uri.CheckHostName(FallbackOrigin) != UriHostNameType.Dns)
        {
            problems.Add($"{who}: FallbackOriginPolicy Ensure needs FallbackOrigin, a host name.");
        }

        if (!Enum.IsDefined(Plan) || !Enum.IsDefined(FallbackOriginPolicy) || !Enum.IsDefined(ValidationMethod))
        {
            problems.Add($"{who}: Plan, FallbackOriginPolicy or ValidationMethod has an undefined value.");
        }

        if (PollingInterval <= TimeSpan.Zero)
        {
            problems.Add($"{who}: PollingInterval must be positive.");
        }

        if (ApiRequestsPerFiveMinutes is < 0 or 1)
        {
            problems.Add($"{who}: ApiRequestsPerFiveMinutes must be 0 (unpaced) or at least 2 (Cloudflare's default is {DefaultApiRequestsPerFiveMinutes}).");
        }

        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttps && BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{who}: BaseAddress must be an absolute http(s) URI such as https://api.cloudflare.com/client/v4/.");
        }

        return problems;
    }

    /// <summary>Describes the options without the token.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"CloudflareCdnProviderOptions {{ Name = {Name}, BaseAddress = {BaseAddress}, ApiToken = {(string.IsNullOrEmpty(ApiToken) ? "(not set)" : "(set, hidden)")}, AccountId = {AccountId}, ZoneId = {ZoneId}, Plan = {Plan}, CnameTarget = {CnameTarget}, FallbackOrigin = {FallbackOrigin}, FallbackOriginPolicy = {FallbackOriginPolicy}, ApiRequestsPerFiveMinutes = {ApiRequestsPerFiveMinutes} }}");

    internal CloudflareCdnProviderOptions Clone() => (CloudflareCdnProviderOptions)MemberwiseClone();
}
