namespace Poppy.Sdk.Emulator.Fastly;

/// <summary>Options of the emulated Fastly API.</summary>
public sealed class FastlyEmulatorOptions
{
    /// <summary>The default API token the emulator accepts.</summary>
    public const string DefaultApiToken = "emulator-fastly-key";

    /// <summary>The API token (<c>Fastly-Key</c>) accepted. Default <see cref="DefaultApiToken"/>.</summary>
    public string ApiToken { get; set; } = DefaultApiToken;

    /// <summary>Non-read requests allowed per hour before 429, as Fastly's default budget. Default 1,000.</summary>
    public int HourlyRateLimit { get; set; } = 1000;

    /// <summary>The host name suffix of the emulated edge (access URLs are CNAMEs to it).</summary>
    public string EdgeHostSuffix { get; set; } = "global.prod.fastly.net";
}

/// <summary>A service held by the emulated Fastly (inspection snapshot).</summary>
/// <param name="Id">The service id.</param>
/// <param name="Name">The name.</param>
/// <param name="Comment">The comment (where Poppy stamps its service id).</param>
/// <param name="ActiveVersion">The active version, or null.</param>
/// <param name="VersionCount">How many versions it has.</param>
public sealed record FastlyServiceSnapshot(string Id, string Name, string Comment, int? ActiveVersion, int VersionCount);

/// <summary>A purge the emulated Fastly accepted.</summary>
/// <param name="Kind"><c>url</c>, <c>key</c> or <c>all</c>.</param>
/// <param name="Target">The URL (host + path), the surrogate key, or the service id.</param>
/// <param name="Soft">Whether a <c>Fastly-Soft-Purge</c> header was sent (any value).</param>
/// <param name="Id">The purge id returned.</param>
public sealed record FastlyPurgeRecord(string Kind, string Target, bool Soft, string Id);
