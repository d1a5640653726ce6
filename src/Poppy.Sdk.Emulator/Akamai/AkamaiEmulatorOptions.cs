namespace Poppy.Sdk.Emulator.Akamai;

/// <summary>Options of the emulated Akamai APIs (PAPI v1, Fast Purge CCU v3, EdgeGrid).</summary>
public sealed class AkamaiEmulatorOptions
{
    /// <summary>The default EdgeGrid client token.</summary>
    public const string DefaultClientToken = "akab-emulator-client-token";

    /// <summary>The default EdgeGrid client secret.</summary>
    public const string DefaultClientSecret = "emulator-akamai-client-secret=";

    /// <summary>The default EdgeGrid access token.</summary>
    public const string DefaultAccessToken = "akab-emulator-access-token";

    /// <summary>The EdgeGrid client token requests must name. Default <see cref="DefaultClientToken"/>.</summary>
    public string ClientToken { get; set; } = DefaultClientToken;

    /// <summary>The client secret signatures are verified with (its text, as EdgeGrid uses it). Default <see cref="DefaultClientSecret"/>.</summary>
    public string ClientSecret { get; set; } = DefaultClientSecret;

    /// <summary>The access token requests must name. Default <see cref="DefaultAccessToken"/>.</summary>
    public string AccessToken { get; set; } = DefaultAccessToken;

    /// <summary>
    /// The request headers the API client signs, in order (the client's <c>headers_to_sign</c>; a header the
    /// request lacks is skipped). Default none, as Akamai's official clients send.
    /// </summary>
    public IList<string> HeadersToSign { get; } = [];

    /// <summary>How many bytes of a POST body the content hash covers (the client's <c>max_body</c>). Default 131,072.</summary>
    public int MaxBody { get; set; } = 131072;

    /// <summary>How far a request's EdgeGrid timestamp may be from the emulator's clock. Default 30 s.</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The account id (without <c>act_</c>).</summary>
    public string AccountId { get; set; } = "A-CCT7890";

    /// <summary>The one contract (without <c>ctr_</c>).</summary>
    public string ContractId { get; set; } = "C-0N7RAC7";

    /// <summary>The one group (without <c>grp_</c>).</summary>
    public string GroupId { get; set; } = "15225";

    /// <summary>The products of the contract (without <c>prd_</c>): Ion Standard, Ion Premier, Dynamic Site Accelerator, Download Delivery.</summary>
    public IList<string> Products { get; } = ["Fresca", "SPM", "Site_Accel", "Download_Delivery"];

    /// <summary>Whether ids carry their prefixes (<c>prp_</c>, …) when a request sends no <c>PAPI-Use-Prefixes</c> (the API client's setting). Default true.</summary>
    public bool UsePrefixesByDefault { get; set; } = true;

    /// <summary>The largest Fast Purge request body in bytes (413 above). Default 50,000.</summary>
    public int MaxPurgeBodyBytes { get; set; } = 50000;

    /// <summary>Fast Purge's request bucket: capacity and refill per second (documented 100, 50/s).</summary>
    public PurgeBucket RequestBucket { get; set; } = new(100, 50);

    /// <summary>Fast Purge's URL-object bucket (documented 10,000, 12,000/min).</summary>
    public PurgeBucket UrlBucket { get; set; } = new(10000, 200);

    /// <summary>Fast Purge's CP-code-object bucket (documented 300, 30/min).</summary>
    public PurgeBucket CpCodeBucket { get; set; } = new(300, 0.5);

    /// <summary>Fast Purge's tag-object bucket (documented 5,000, 500/min).</summary>
    public PurgeBucket TagBucket { get; set; } = new(5000, 500.0 / 60);

    /// <summary>Fast Purge's <c>estimatedSeconds</c> in accepted answers. Default 5.</summary>
    public int PurgeEstimatedSeconds { get; set; } = 5;
}

/// <summary>A token bucket of Fast Purge.</summary>
/// <param name="Capacity">Tokens when full.</param>
/// <param name="RefillPerSecond">Tokens added per second.</param>
public sealed record PurgeBucket(double Capacity, double RefillPerSecond);

/// <summary>A property held by the emulated Akamai (inspection snapshot).</summary>
/// <param name="PropertyId">The id, without prefix.</param>
/// <param name="Name">The property name.</param>
/// <param name="LatestVersion">The latest version.</param>
/// <param name="StagingVersion">The version active on staging, or null.</param>
/// <param name="ProductionVersion">The version active on production, or null.</param>
public sealed record AkamaiPropertySnapshot(long PropertyId, string Name, int LatestVersion, int? StagingVersion, int? ProductionVersion);

/// <summary>A Fast Purge request the emulated Akamai accepted.</summary>
/// <param name="Action"><c>invalidate</c> or <c>delete</c>.</param>
/// <param name="Type"><c>url</c>, <c>cpcode</c> or <c>tag</c>.</param>
/// <param name="Network"><c>staging</c> or <c>production</c>.</param>
/// <param name="Objects">The objects, as sent (URLs made absolute when a <c>hostname</c> was given).</param>
/// <param name="PurgeId">The purge id answered.</param>
public sealed record AkamaiPurgeRecord(string Action, string Type, string Network, IReadOnlyList<string> Objects, string PurgeId);
