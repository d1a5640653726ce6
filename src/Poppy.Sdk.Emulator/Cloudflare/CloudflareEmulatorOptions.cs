namespace Poppy.Sdk.Emulator.Cloudflare;

/// <summary>Options of the emulated Cloudflare API (v4).</summary>
public sealed class CloudflareEmulatorOptions
{
    /// <summary>The default API token the emulator accepts.</summary>
    public const string DefaultApiToken = "emulator-cloudflare-token";

    /// <summary>The default account id (32 hexadecimal digits, as Cloudflare's ids).</summary>
    public const string DefaultAccountId = "ac00000000000000000000000000e0a1";

    /// <summary>The default id of the SaaS zone custom hostnames attach to.</summary>
    public const string DefaultZoneId = "20e00000000000000000000000000e01";

    /// <summary>The API token accepted as <c>Authorization: Bearer …</c>. Default <see cref="DefaultApiToken"/>.</summary>
    public string ApiToken { get; set; } = DefaultApiToken;

    /// <summary>The account id. Default <see cref="DefaultAccountId"/>.</summary>
    public string AccountId { get; set; } = DefaultAccountId;

    /// <summary>The id of the one zone served (the provider's SaaS zone). Default <see cref="DefaultZoneId"/>.</summary>
    public string ZoneId { get; set; } = DefaultZoneId;

    /// <summary>The zone's name. Default <c>saas.example.net</c>.</summary>
    public string ZoneName { get; set; } = "saas.example.net";

    /// <summary>
    /// The plan of the zone and account: it sets the purge token buckets, the files allowed per purge and the
    /// cache-rule count. Default <see cref="CloudflarePlan.Enterprise"/>.
    /// </summary>
    public CloudflarePlan Plan { get; set; } = CloudflarePlan.Enterprise;

    /// <summary>
    /// Whether custom hostnames validate by themselves: true (the default) turns them <c>active</c> once the
    /// emulator's deploy delay has passed since creation; false keeps them <c>pending</c> until a test calls
    /// <see cref="CloudflareEmulator.MarkValidated"/>, as a real hostname waits for its owner to publish the
    /// validation records.
    /// </summary>
    public bool AutoValidate { get; set; } = true;

    /// <summary>API calls allowed per token in <see cref="GlobalRateWindow"/> before 429 (Cloudflare: 1,200 per 5 minutes).</summary>
    public int GlobalRateLimit { get; set; } = 1200;

    /// <summary>The window of <see cref="GlobalRateLimit"/>. Default 5 minutes.</summary>
    public TimeSpan GlobalRateWindow { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>A Cloudflare plan; limits differ per plan.</summary>
public enum CloudflarePlan
{
    /// <summary>Free: purges by tag/host/prefix/everything 5 per minute (bucket 25), 800 URLs/s, 10 cache rules.</summary>
    Free,

    /// <summary>Pro: 5 purges per second (bucket 25), 1,500 URLs/s, 25 cache rules.</summary>
    Pro,

    /// <summary>Business: 10 purges per second (bucket 50), 1,500 URLs/s, 50 cache rules.</summary>
    Business,

    /// <summary>Enterprise: 50 purges per second (bucket 500), 3,000 URLs/s, 500 files per purge, 300 cache rules.</summary>
    Enterprise,
}

/// <summary>A custom hostname held by the emulated Cloudflare (inspection snapshot).</summary>
/// <param name="Id">The id.</param>
/// <param name="Hostname">The host name.</param>
/// <param name="Status">The hostname status now (<c>pending</c> or <c>active</c>).</param>
/// <param name="SslStatus">The certificate status now (<c>pending_validation</c> or <c>active</c>).</param>
/// <param name="SslMethod">The validation method (<c>http</c> or <c>txt</c>).</param>
/// <param name="CustomMetadataJson">The <c>custom_metadata</c> as JSON, or null.</param>
/// <param name="CustomOriginServer">The <c>custom_origin_server</c>, or null.</param>
public sealed record CloudflareCustomHostnameSnapshot(
    string Id, string Hostname, string Status, string SslStatus, string SslMethod, string? CustomMetadataJson, string? CustomOriginServer);

/// <summary>A rule of a phase entry point held by the emulated Cloudflare (inspection snapshot).</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Id">The rule id.</param>
/// <param name="Ref">The rule's <c>ref</c>.</param>
/// <param name="Action">The action.</param>
/// <param name="Expression">The expression.</param>
/// <param name="Version">The rule's version.</param>
public sealed record CloudflareRuleSnapshot(string Phase, string Id, string Ref, string Action, string Expression, int Version);

/// <summary>A purge the emulated Cloudflare accepted.</summary>
/// <param name="Kind"><c>files</c>, <c>tags</c>, <c>hosts</c>, <c>prefixes</c> or <c>purge_everything</c>.</param>
/// <param name="Items">The items (URLs, tags, hosts, prefixes); empty for everything.</param>
public sealed record CloudflarePurgeRecord(string Kind, IReadOnlyList<string> Items);
