namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>The phases of the zone's rulesets Poppy writes to, in the order apply visits them.</summary>
internal static class Phases
{
    public const string Origin = "http_request_origin";
    public const string Cache = "http_request_cache_settings";
    public const string Firewall = "http_request_firewall_custom";

    public static readonly string[] All = [Origin, Cache, Firewall];
}

/// <summary>One custom hostname as Poppy wants it on the SaaS zone.</summary>
/// <param name="Hostname">The domain.</param>
/// <param name="ValidationMethod">The DV method: <c>http</c> or <c>txt</c>.</param>
/// <param name="Https">Whether the domain is served over HTTPS (its certificate status is reported).</param>
/// <param name="OriginServer">The <c>custom_origin_server</c>: the default origin's host.</param>
/// <param name="OriginSni">The <c>custom_origin_sni</c>; null when the origin is not reached over TLS.</param>
/// <param name="Metadata">The <c>custom_metadata</c>: the stamp, and the manifest on the first domain.</param>
internal sealed record HostnameObject(string Hostname, string ValidationMethod, bool Https, string OriginServer, string? OriginSni, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Whether an existing hostname already holds what Poppy would send (the hostname itself aside).</summary>
    public bool Matches(CfCustomHostnameDto actual) =>
        string.Equals(actual.CustomOriginServer ?? "", OriginServer, StringComparison.Ordinal)
        && string.Equals(actual.CustomOriginSni ?? "", OriginSni ?? "", StringComparison.Ordinal)
        && string.Equals(actual.Ssl?.Method ?? "", ValidationMethod, StringComparison.Ordinal)
        && (actual.CustomMetadata ?? []).Count == Metadata.Count
        && Metadata.All(m => actual.CustomMetadata!.TryGetValue(m.Key, out var v) && string.Equals(v, m.Value, StringComparison.Ordinal));
}

/// <summary>One rule of a phase entry point, as Poppy wants it (identified by <see cref="Ref"/>).</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Ref">The rule's <c>ref</c>: the service's stamp, <c>#</c>, and the rule's role and index.</param>
/// <param name="Description">The rule's description (for people reading the dashboard).</param>
/// <param name="Expression">The expression, scoped to the service's hosts.</param>
/// <param name="Action">The action (<c>route</c>, <c>set_cache_settings</c>, <c>block</c>).</param>
/// <param name="ActionParameters">The action's parameters as JSON; null for none.</param>
internal sealed record RuleObject(string Phase, string Ref, string Description, string Expression, string Action, string? ActionParameters);

/// <summary>What a spec becomes on Cloudflare: custom hostnames and rules.</summary>
internal sealed record CloudflareConfig(IReadOnlyList<HostnameObject> Hostnames, IReadOnlyList<RuleObject> Rules)
{
    public IEnumerable<RuleObject> InPhase(string phase) => Rules.Where(r => r.Phase == phase);
}

/// <summary>How a rule's <c>ref</c> carries the service it belongs to: <c>poppy:service_id=&lt;id&gt;#&lt;role&gt;-&lt;n&gt;</c>.</summary>
internal static class RuleRef
{
    public static string Format(string serviceId, string role, int index) =>
        ServiceStamp.Format(serviceId) + "#" + role + "-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether the ref is one of this service's (its stamp, then one <c>#</c> suffix).</summary>
    public static bool BelongsTo(string? reference, string serviceId)
    {
        if (reference is null)
        {
            return false;
        }

        var hash = reference.LastIndexOf('#');
        return hash > 0 && string.Equals(reference[..hash], ServiceStamp.Format(serviceId), StringComparison.Ordinal);
    }

    /// <summary>The service id of a Poppy ref; null for other rules.</summary>
    public static string? ServiceId(string? reference)
    {
        if (reference is null || !reference.StartsWith(ServiceStamp.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = reference.LastIndexOf('#');
        return hash > ServiceStamp.Prefix.Length ? reference[ServiceStamp.Prefix.Length..hash] : null;
    }
}
