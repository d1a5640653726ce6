using System.Globalization;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// CloudFront → neutral: reads a distribution back into the neutral model and says how it differs from the spec stamped
/// on it. Pure: no I/O.
/// </summary>
internal sealed partial class CloudFrontTranslator
{
    // ------------------------------------------------------------------ CloudFront → neutral

    /// <summary>
    /// Reads a distribution back. When the stamped manifest still plans exactly the deployed config (and function), the
    /// manifest is the spec, names and all, with no drift. Otherwise the spec is rebuilt from the distribution (with generated
    /// names), and the drift compares it with what the manifest's own plan rebuilds to — both sides in the same rebuilt shape,
    /// so only real differences show, at paths into the returned spec.
    /// </summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <param name="distribution">The distribution as CloudFront holds it.</param>
    /// <param name="manifest">The spec stamped in the tags; null when none is kept (drift is then unknown and reported empty).</param>
    /// <param name="program">The restriction program of the live function, when the distribution has one of ours.</param>
    /// <returns>The spec and its drift.</returns>
    public (ServiceSpec Spec, IReadOnlyList<SpecDifference> Drift) ReadBack(string serviceId, Distribution distribution, ServiceSpec? manifest, RestrictionProgram? program)
    {
        var config = distribution.Config;
        var actual = Rebuild(serviceId, config, manifest, program);
        if (manifest is null)
        {
            return (actual, []);
        }

        var (plan, problems) = Plan(serviceId, manifest);
        if (problems.Count > 0)
        {
            // The stamped spec no longer translates (the provider's options changed): compare it as it is.
            return (actual, ServiceSpecComparer.Compare(manifest, actual));
        }

        var expected = plan.Resolve(plan.Function is null ? null : DeployedArn(config, plan.Function.Name));
        if (CloudFrontXml.DistributionConfig(Managed(expected)) == CloudFrontXml.DistributionConfig(Managed(config)) && Equals(plan.Function?.Program, program))
        {
            return (manifest, []);
        }

        var drift = ServiceSpecComparer.Compare(Rebuild(serviceId, expected, manifest, plan.Function?.Program), actual);
        return drift.Count > 0
            ? (actual, drift)
            : (actual, [new SpecDifference("/", "\"the distribution config Poppy wrote\"", "\"changed outside Poppy in settings the spec does not show\"")]);
    }

    /// <summary>The ARN the deployed config associates with a function of this name, or a name no deployed ARN can equal.</summary>
    private static string DeployedArn(DistributionConfig config, string functionName) =>
        config.DefaultCacheBehavior.FunctionAssociations.Select(a => a.FunctionArn).FirstOrDefault(a => a.EndsWith("/" + functionName, StringComparison.Ordinal))
            ?? "function/" + functionName + " (not associated)";

    /// <summary>The name of the function a deployed config associates on viewer-request, if any.</summary>
    public static string? AssociatedFunctionName(DistributionConfig config) =>
        config.DefaultCacheBehavior.FunctionAssociations.FirstOrDefault(f => f.EventType == ViewerRequestFunction.EventType) is { } association
            ? association.FunctionArn[(association.FunctionArn.LastIndexOf('/') + 1)..]
            : null;

    /// <summary>The config without the members Poppy does not manage (and with Enabled set), for comparison.</summary>
    private static DistributionConfig Managed(DistributionConfig c) => new()
    {
        CallerReference = c.CallerReference,
        Aliases = c.Aliases,
        Origins = c.Origins,
        DefaultCacheBehavior = c.DefaultCacheBehavior,
        CacheBehaviors = c.CacheBehaviors,
        Comment = c.Comment,
        Enabled = true,
        ViewerCertificate = c.ViewerCertificate,
        GeoRestriction = c.GeoRestriction,
        CacheTagHeaderName = c.CacheTagHeaderName,
    };

    /// <summary>Rebuilds a spec from a distribution config alone (names are generated; the manifest's name and flavor are kept).</summary>
    private static ServiceSpec Rebuild(string serviceId, DistributionConfig config, ServiceSpec? manifest, RestrictionProgram? program)
    {
        // Every alias carries the ACM certificate, so only the viewer protocol policy tells HTTPS-only services apart.
        var https = config.DefaultCacheBehavior.ViewerProtocolPolicy != "allow-all";
        var domains = config.Aliases.Select(a => new DomainSpec(a, https ? DomainProtocol.Https : DomainProtocol.Http, https ? CertificateKind.Custom : null)).ToList();
        var behaviors = config.CacheBehaviors;
        var origins = new List<OriginSpec>();
        for (var i = 0; i < config.Origins.Count; i++)
        {
            var o = config.Origins[i];
            var ssl = o.ProtocolPolicy == "https-only";
            var rules = behaviors.Where(b => b.TargetOriginId == o.Id && b.PathPattern is not null)
                .Select((b, k) => new PathRule(string.Create(CultureInfo.InvariantCulture, $"{o.Id}-path-{k}"), b.PathPattern!)).ToList();
            if (config.DefaultCacheBehavior.TargetOriginId == o.Id)
            {
                rules.Insert(0, new PathRule("default", "/*"));
            }

            var forwardsHost = behaviors.Append(config.DefaultCacheBehavior).Where(b => b.TargetOriginId == o.Id).Any(b => b.ForwardedHeaders.Contains("Host", StringComparer.OrdinalIgnoreCase));
            origins.Add(new OriginSpec(o.DomainName, ssl ? o.HttpsPort : o.HttpPort, ssl)
            {
                Rules = rules,
                HostHeaderType = forwardsHost ? HostHeaderType.Domain : HostHeaderType.Origin,
            });
        }

        var caching = new List<CachingRule>();
        if (config.DefaultCacheBehavior.DefaultTtl is { } defaultTtl)
        {
            caching.Add(new CachingRule("default", (int)Math.Min(defaultTtl, CloudFrontTranslator.MaxTtl), new PathRule("default", "/*")));
        }

        caching.AddRange(behaviors.Where(b => b.PathPattern is not null && b.DefaultTtl is not null)
            .Select((b, k) => new CachingRule(string.Create(CultureInfo.InvariantCulture, $"cache-{k}"), (int)Math.Min(b.DefaultTtl!.Value, CloudFrontTranslator.MaxTtl), new PathRule(string.Create(CultureInfo.InvariantCulture, $"cache-{k}-path"), b.PathPattern!))));

        var restrictions = new List<Restriction>();
        if (config.GeoRestriction is { RestrictionType: "whitelist" or "blacklist" } geo && geo.Locations.Count > 0)
        {
            restrictions.Add(new Restriction("geography", geo.RestrictionType == "whitelist" ? RestrictionAccess.Whitelist : RestrictionAccess.Blacklist,
                geo.Locations.Select(l => RestrictionRule.ForGeography(l)).ToList()));
        }

        if (program is not null)
        {
            for (var g = 0; g < program.Groups.Count; g++)
            {
                var group = program.Groups[g];
                restrictions.Add(new Restriction(
                    string.Create(CultureInfo.InvariantCulture, $"{group.Kind}-{g}"),
                    group.Access == "whitelist" ? RestrictionAccess.Whitelist : RestrictionAccess.Blacklist,
                    group.Values.Select(v => group.Kind == "referrer" ? RestrictionRule.ForReferrer(v, group.Path) : RestrictionRule.ForClientIp(v, group.Path)).ToList()));
            }
        }

        return new ServiceSpec
        {
            Name = manifest?.Name ?? serviceId,
            FlavorId = manifest?.FlavorId ?? "",
            Domains = domains,
            Origins = origins,
            Caching = caching,
            Restrictions = restrictions,
        };
    }
}
