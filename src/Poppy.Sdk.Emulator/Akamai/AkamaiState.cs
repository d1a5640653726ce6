using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Akamai;

/// <summary>
/// What the emulated Akamai holds: CP codes, edge hostnames, properties with their versions and activations,
/// Fast Purge requests and token buckets. One lock (<see cref="Gate"/>) guards it all. Activation statuses are
/// derived from the clock: an activation is <c>PENDING</c> until the deploy delay has passed since it was
/// submitted, then <c>ACTIVE</c> (and an earlier one on the same network <c>INACTIVE</c>, superseded).
/// </summary>
internal sealed class AkamaiState(AkamaiEmulatorOptions options, TimeProvider time, Func<TimeSpan> deployDelay)
{
    public const string Staging = "STAGING";
    public const string Production = "PRODUCTION";
    public const string Activate = "ACTIVATE";
    public const string Deactivate = "DEACTIVATE";

    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);
    private long _nextId = 100000;
    private long _nextEtag;

    /// <summary>The lock every read and change takes.</summary>
    public object Gate { get; } = new();

    public AkamaiEmulatorOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    /// <summary>How long an activation takes (the emulator's common deploy delay).</summary>
    public TimeSpan DeployDelay => deployDelay();

    public Dictionary<long, AkamaiCpCode> CpCodes { get; } = [];

    public Dictionary<long, AkamaiEdgeHostname> EdgeHostnames { get; } = [];

    public Dictionary<long, AkamaiProperty> Properties { get; } = [];

    public List<AkamaiPurgeRecord> Purges { get; } = [];

    /// <summary>A new numeric id. Call under the lock.</summary>
    public long NewId() => ++_nextId;

    /// <summary>A new etag (16 hex digits). Call under the lock.</summary>
    public string NewEtag() =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes("etag-" + (++_nextEtag).ToString(CultureInfo.InvariantCulture))))[..16].ToLowerInvariant();

    /// <summary>A property, or PAPI's 404. Call under the lock.</summary>
    public AkamaiProperty Property(string id) =>
        AkamaiJson.BareNumber("prp", id) is { } n && Properties.TryGetValue(n, out var p)
            ? p
            : throw AkamaiError.NotFound($"The property '{id}' does not exist or you do not have access to it.");

    /// <summary>A version of a property, or PAPI's 404. Call under the lock.</summary>
    public static AkamaiVersion Version(AkamaiProperty property, int number) =>
        property.Version(number) ?? throw AkamaiError.NotFound($"Version {number} of property prp_{property.Id} does not exist.");

    /// <summary>Whether an activation has finished (the deploy delay passed since it was submitted).</summary>
    public bool Done(AkamaiActivation a, DateTimeOffset now) => a.Cancelled is null && now - a.Submitted >= DeployDelay;

    /// <summary>An activation's status now: <c>PENDING</c>, <c>ACTIVE</c>, <c>INACTIVE</c> (superseded) or <c>ABORTED</c> (cancelled).</summary>
    public string Status(AkamaiProperty property, AkamaiActivation a, DateTimeOffset now)
    {
        if (a.Cancelled is not null)
        {
            return "ABORTED";
        }

        if (!Done(a, now))
        {
            return "PENDING";
        }

        var latest = LatestDone(property, a.Network, now);
        return latest == a ? "ACTIVE" : "INACTIVE";
    }

    /// <summary>The version active on a network now, or null.</summary>
    public int? ActiveVersion(AkamaiProperty property, string network, DateTimeOffset now) =>
        LatestDone(property, network, now) is { Type: Activate } a ? a.Version : null;

    /// <summary>An activation still pending on a network, or null.</summary>
    public AkamaiActivation? Pending(AkamaiProperty property, string network, DateTimeOffset now) =>
        property.Activations.FirstOrDefault(a => a.Network == network && a.Cancelled is null && !Done(a, now));

    /// <summary>A version's status on a network: <c>ACTIVE</c>, <c>PENDING</c>, <c>DEACTIVATED</c> or <c>INACTIVE</c>.</summary>
    public string VersionStatus(AkamaiProperty property, int version, string network, DateTimeOffset now)
    {
        if (property.Activations.Any(a => a.Network == network && a.Version == version && a.Cancelled is null && !Done(a, now)))
        {
            return "PENDING";
        }

        if (ActiveVersion(property, network, now) == version)
        {
            return "ACTIVE";
        }

        return LatestDone(property, network, now) is { Type: Deactivate } d && d.Version == version ? "DEACTIVATED" : "INACTIVE";
    }

    /// <summary>Whether a version was ever submitted for activation (such a version can no longer be edited).</summary>
    public static bool EverActivated(AkamaiProperty property, int version) =>
        property.Activations.Any(a => a.Version == version && a.Type == Activate && a.Cancelled is null);

    /// <summary>
    /// Takes from a Fast Purge token bucket (refilled continuously up to its capacity).
    /// </summary>
    /// <returns>Null when taken; otherwise the tokens left (the whole-number part), nothing taken.</returns>
    public int? TakeTokens(string bucket, PurgeBucket shape, double count)
    {
        var now = Time.GetUtcNow();
        var (tokens, at) = _buckets.TryGetValue(bucket, out var b) ? b : (shape.Capacity, now);
        tokens = Math.Min(shape.Capacity, tokens + Math.Max(0, (now - at).TotalSeconds) * shape.RefillPerSecond);
        if (tokens < count)
        {
            _buckets[bucket] = (tokens, now);
            return (int)Math.Floor(tokens);
        }

        _buckets[bucket] = (tokens - count, now);
        return null;
    }

    /// <summary>Forgets every resource and purge, and refills the buckets.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            CpCodes.Clear();
            EdgeHostnames.Clear();
            Properties.Clear();
            Purges.Clear();
            _buckets.Clear();
        }
    }

    private AkamaiActivation? LatestDone(AkamaiProperty property, string network, DateTimeOffset now) =>
        property.Activations.Where(a => a.Network == network && Done(a, now)).OrderBy(a => a.Submitted).ThenBy(a => a.Id).LastOrDefault();
}

/// <summary>A CP code.</summary>
internal sealed record AkamaiCpCode(long Id, string Name, string ProductId, DateTimeOffset Created);

/// <summary>An edge hostname.</summary>
internal sealed record AkamaiEdgeHostname(long Id, string DomainPrefix, string DomainSuffix, string ProductId, string SecureNetwork, string IpVersionBehavior)
{
    public string Domain => DomainPrefix + "." + DomainSuffix;
}

/// <summary>A property.</summary>
internal sealed class AkamaiProperty(long id, string name, string productId, string ruleFormat, DateTimeOffset created)
{
    public long Id { get; } = id;

    public string Name { get; } = name;

    public string ProductId { get; } = productId;

    public string RuleFormat { get; } = ruleFormat;

    public DateTimeOffset Created { get; } = created;

    public List<AkamaiVersion> Versions { get; } = [];

    public List<AkamaiActivation> Activations { get; } = [];

    public AkamaiVersion? Version(int number) => number >= 1 && number <= Versions.Count ? Versions[number - 1] : null;
}

/// <summary>
/// A property version: its rule tree and hostnames under one etag. PAPI's etag is "an opaque digest representing a
/// snapshot of the property version" (techdocs, Concurrency control): the version, its rules and its hostnames answer
/// the same digest, and an edit of either changes it, so the etag a rules PUT returns is the If-Match of the next
/// hostnames PUT.
/// </summary>
internal sealed class AkamaiVersion(int number, DateTimeOffset updated)
{
    public int Number { get; } = number;

    public string Etag { get; set; } = "";

    /// <summary>The etag the rules resource answers and expects: the version's.</summary>
    public string RulesEtag { get => Etag; set => Etag = value; }

    /// <summary>The etag the hostnames resource answers and expects: the version's.</summary>
    public string HostnamesEtag { get => Etag; set => Etag = value; }

    public string RuleFormat { get; set; } = "latest";

    public JsonObject Rules { get; set; } = [];

    public List<AkamaiHostname> Hostnames { get; set; } = [];

    public string? Note { get; set; }

    public DateTimeOffset Updated { get; set; } = updated;
}

/// <summary>A hostname of a property version: the customer's name, the edge hostname it points to, how its certificate is provisioned.</summary>
internal sealed record AkamaiHostname(string CnameFrom, long EdgeHostnameId, string CnameTo, string CertProvisioningType, DateTimeOffset Set);

/// <summary>An activation or deactivation of a version on a network.</summary>
internal sealed record AkamaiActivation(long Id, int Version, string Network, string Type, DateTimeOffset Submitted, JsonArray NotifyEmails, string? Note)
{
    public DateTimeOffset? Cancelled { get; set; }
}
