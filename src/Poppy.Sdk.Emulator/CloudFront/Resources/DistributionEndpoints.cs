using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontState;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontXml;

namespace Poppy.Sdk.Emulator.CloudFront.Resources;

/// <summary>
/// Distributions: create (also <c>?WithTags</c>), get, get config, update and delete with <c>If-Match</c>,
/// list with <c>Marker</c>/<c>MaxItems</c>. The <c>DistributionConfig</c> is kept as the XML the client
/// sent, checked against the schema and CloudFront's rules (references, quotas, aliases, certificates,
/// function associations, geo restrictions), and echoed back.
/// </summary>
internal sealed class DistributionEndpoints(CloudFrontState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        var distributions = routes.MapGroup(Prefix + "/distribution");
        distributions.MapGet("", context => AnswerAsync(context, (request, _) => ListDistributions(request)));
        distributions.MapPost("", context => AnswerAsync(context, CreateDistribution));
        distributions.MapGet("/{id}", context => AnswerAsync(context, (request, _) => GetDistribution(request.Route("id"), configOnly: false)));
        distributions.MapDelete("/{id}", context => AnswerAsync(context, (request, _) => DeleteDistribution(request, request.Route("id"))));
        distributions.MapGet("/{id}/config", context => AnswerAsync(context, (request, _) => GetDistribution(request.Route("id"), configOnly: true)));
        distributions.MapPut("/{id}/config", context => AnswerAsync(context, (request, body) => UpdateDistribution(request, request.Route("id"), body)));
    }

    private Reply CreateDistribution(HttpRequest request, byte[] body)
    {
        XElement config;
        List<KeyValuePair<string, string>> tags = [];
        if (request.Query.ContainsKey("WithTags"))
        {
            var withTags = ParseBody(body, "DistributionConfigWithTags");
            CloudFrontSchema.Validate(withTags, "DistributionConfigWithTags");
            config = new XElement(withTags.Element(Ns + "DistributionConfig")!);
            tags = TagEndpoints.ReadTags(withTags.Element(Ns + "Tags")!);
        }
        else
        {
            config = ParseBody(body, "DistributionConfig");
            CloudFrontSchema.Validate(config, "DistributionConfig");
        }

        lock (state.Gate)
        {
            var now = state.Time.GetUtcNow();
            var callerReference = Text(config, "CallerReference")!;
            if (state.Distributions.Values.FirstOrDefault(d => d.CallerReference == callerReference) is { } existing)
            {
                throw new CloudFrontError(
                    "DistributionAlreadyExists",
                    $"The caller reference that you are using to create a distribution is associated with another distribution. Already exists: {existing.Id}");
            }

            CheckConfig(config, self: null);
            var id = state.NewId('E');
            var distribution = new CloudFrontDistribution(
                id,
                state.Arn("distribution/" + id),
                $"d{state.NewToken(13).ToLowerInvariant()}.{state.Options.DomainSuffix}",
                callerReference,
                state.NextSequence())
            {
                Config = config,
                ETag = state.NewId('E'),
                ChangedAt = now,
            };
            TagEndpoints.SetTags(distribution.Tags, tags);
            state.Distributions.Add(id, distribution);
            return new Reply(201, DistributionXml(distribution, now), distribution.ETag, LocationOf(request, "distribution/" + id));
        }
    }

    private Reply GetDistribution(string id, bool configOnly)
    {
        lock (state.Gate)
        {
            var d = state.FindDistribution(id);
            return new Reply(200, configOnly ? new XElement(d.Config) : DistributionXml(d, state.Time.GetUtcNow()), d.ETag);
        }
    }

    private Reply UpdateDistribution(HttpRequest request, string id, byte[] body)
    {
        var config = ParseBody(body, "DistributionConfig");
        CloudFrontSchema.Validate(config, "DistributionConfig");
        lock (state.Gate)
        {
            var d = state.FindDistribution(id);
            CheckIfMatch(request, d.ETag);
            if (Text(config, "CallerReference") != d.CallerReference)
            {
                throw new CloudFrontError("IllegalUpdate", "The update contains modifications that are not allowed: the CallerReference of a distribution cannot change.");
            }

            CheckConfig(config, d);
            var now = state.Time.GetUtcNow();
            d.Config = config;
            d.ETag = state.NewId('E');
            d.ChangedAt = now;
            return new Reply(200, DistributionXml(d, now), d.ETag);
        }
    }

    private Reply DeleteDistribution(HttpRequest request, string id)
    {
        lock (state.Gate)
        {
            var d = state.FindDistribution(id);
            CheckIfMatch(request, d.ETag);
            if (IsEnabled(d.Config) || state.DistributionStatus(d, state.Time.GetUtcNow()) != Deployed)
            {
                throw new CloudFrontError("DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.");
            }

            state.Distributions.Remove(id);
            return new Reply(204);
        }
    }

    private Reply ListDistributions(HttpRequest request)
    {
        var (marker, maxItems) = Paging(request);
        lock (state.Gate)
        {
            var now = state.Time.GetUtcNow();
            var after = state.Distributions.Values
                .Where(d => marker.Length == 0 || string.CompareOrdinal(d.Id, marker) > 0)
                .OrderBy(d => d.Id, StringComparer.Ordinal)
                .ToList();
            var page = after.Take(maxItems).ToList();
            var truncated = after.Count > page.Count;
            return new Reply(200, E(
                "DistributionList",
                E("Marker", marker),
                truncated ? E("NextMarker", page.Count > 0 ? page[^1].Id : marker) : null,
                E("MaxItems", Int(maxItems)),
                E("IsTruncated", Bool(truncated)),
                E("Quantity", Int(page.Count)),
                page.Count > 0 ? E("Items", page.Select(d => Summary(d, now))) : null));
        }
    }

    /// <summary>The checks CloudFront makes beyond the schema: references, quotas, value rules.</summary>
    private void CheckConfig(XElement config, CloudFrontDistribution? self)
    {
        var comment = Text(config, "Comment") ?? "";
        if (comment.Length > 128)
        {
            throw new CloudFrontError("InvalidArgument", "The parameter Comment is too long: at most 128 characters.");
        }

        if (Text(config, "DefaultRootObject") is { Length: > 0 } root && (root.StartsWith('/') || root.Length > 255))
        {
            throw new CloudFrontError("InvalidDefaultRootObject", "The default root object you specified is invalid.");
        }

        var origins = Items(config.Element(Ns + "Origins")).ToList();
        if (origins.Count == 0)
        {
            throw Malformed("Origins must hold at least one Origin.");
        }

        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in origins)
        {
            var originId = Text(origin, "Id") ?? "";
            if (!targets.Add(originId))
            {
                throw new CloudFrontError("InvalidArgument", $"The parameter origin Id must be unique: '{originId}' is used by more than one origin.");
            }
        }

        foreach (var group in Items(config.Element(Ns + "OriginGroups")))
        {
            targets.Add(Text(group, "Id") ?? "");
        }

        var cacheBehaviors = Items(config.Element(Ns + "CacheBehaviors")).ToList();
        if (cacheBehaviors.Count > state.Options.MaxCacheBehaviorsPerDistribution)
        {
            throw new CloudFrontError("TooManyCacheBehaviors", $"Your request contains more cache behaviors than are allowed per distribution ({state.Options.MaxCacheBehaviorsPerDistribution}).");
        }

        foreach (var behavior in cacheBehaviors.Prepend(config.Element(Ns + "DefaultCacheBehavior")!))
        {
            var target = Text(behavior, "TargetOriginId");
            if (target is null || !targets.Contains(target))
            {
                throw new CloudFrontError("NoSuchOrigin", $"One or more of your origins or origin groups do not exist: TargetOriginId '{target}'.");
            }

            CheckTtlOrder(behavior);
            CheckFunctionAssociations(behavior);
        }

        CheckAliases(config, self);
        CheckGeoRestriction(config);
    }

    private static void CheckTtlOrder(XElement behavior)
    {
        long? Ttl(string name) => Text(behavior, name) is { } text ? long.Parse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;
        var (min, @default, max) = (Ttl("MinTTL"), Ttl("DefaultTTL"), Ttl("MaxTTL"));
        if (min > @default || min > max || @default > max || min < 0)
        {
            throw new CloudFrontError("InvalidTTLOrder", $"The TTL order specified in CacheBehavior is not valid: MinTTL {min}, DefaultTTL {@default}, MaxTTL {max}.");
        }
    }

    private void CheckFunctionAssociations(XElement behavior)
    {
        var events = new HashSet<string>(StringComparer.Ordinal);
        foreach (var association in Items(behavior.Element(Ns + "FunctionAssociations")))
        {
            var arn = Text(association, "FunctionARN") ?? "";
            var eventType = Text(association, "EventType") ?? "";
            if (eventType is not ("viewer-request" or "viewer-response"))
            {
                throw new CloudFrontError("InvalidFunctionAssociation", $"A CloudFront function can only be associated with viewer-request or viewer-response, not {eventType}.");
            }

            if (!events.Add(eventType))
            {
                throw new CloudFrontError("InvalidFunctionAssociation", $"A cache behavior can have only one function association for {eventType}.");
            }

            var prefix = state.FunctionArn("");
            var function = arn.StartsWith(prefix, StringComparison.Ordinal) ? state.Functions.GetValueOrDefault(arn[prefix.Length..]) : null;
            if (function?.LiveCode is null)
            {
                throw new CloudFrontError("InvalidFunctionAssociation", $"The function ARN '{arn}' does not name a function published to the LIVE stage.");
            }
        }
    }

    private void CheckAliases(XElement config, CloudFrontDistribution? self)
    {
        var aliases = Aliases(config);
        if (aliases.Count > state.Options.MaxAliasesPerDistribution)
        {
            throw new CloudFrontError("TooManyDistributionCNAMEs", $"Your request contains more CNAMEs than are allowed per distribution ({state.Options.MaxAliasesPerDistribution}).");
        }

        var unique = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var alias in aliases)
        {
            if (!unique.Add(alias))
            {
                throw new CloudFrontError("InvalidArgument", $"The CNAME '{alias}' is listed more than once.");
            }
        }

        foreach (var other in state.Distributions.Values)
        {
            if (other != self && Aliases(other.Config).FirstOrDefault(unique.Contains) is { } taken)
            {
                throw new CloudFrontError("CNAMEAlreadyExists", $"One or more of the CNAMEs you provided are already associated with a different resource: {taken}.");
            }
        }

        if (aliases.Count == 0)
        {
            return;
        }

        var certificate = config.Element(Ns + "ViewerCertificate");
        var acm = certificate is null ? null : Text(certificate, "ACMCertificateArn");
        var iam = certificate is null ? null : Text(certificate, "IAMCertificateId");
        if (string.IsNullOrEmpty(acm) && string.IsNullOrEmpty(iam))
        {
            throw new CloudFrontError(
                "InvalidViewerCertificate",
                "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name.");
        }

        if (!string.IsNullOrEmpty(acm) && !acm.StartsWith("arn:aws:acm:us-east-1:", StringComparison.Ordinal))
        {
            throw new CloudFrontError(
                "InvalidViewerCertificate",
                "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.");
        }
    }

    private static void CheckGeoRestriction(XElement config)
    {
        if (config.Element(Ns + "Restrictions")?.Element(Ns + "GeoRestriction") is not { } geo)
        {
            return;
        }

        var type = Text(geo, "RestrictionType");
        var locations = Items(geo).Select(l => l.Value).ToList();
        if ((type == "none") != (locations.Count == 0))
        {
            throw new CloudFrontError(
                "InvalidGeoRestrictionParameter",
                $"The specified geo restriction parameter is not valid: RestrictionType {type} with {locations.Count} locations.");
        }

        foreach (var location in locations)
        {
            if (location.Length != 2 || !char.IsAsciiLetterUpper(location[0]) || !char.IsAsciiLetterUpper(location[1]))
            {
                throw new CloudFrontError("InvalidLocationCode", $"The location code specified is not valid: '{location}'.");
            }
        }
    }

    private XElement DistributionXml(CloudFrontDistribution d, DateTimeOffset now)
    {
        var aliases = Aliases(d.Config);
        return E(
            "Distribution",
            E("Id", d.Id),
            E("ARN", d.Arn),
            E("Status", state.DistributionStatus(d, now)),
            E("LastModifiedTime", Timestamp(d.ChangedAt)),
            E("InProgressInvalidationBatches", Int(state.InProgressInvalidations(d.Id, now))),
            E("DomainName", d.DomainName),
            E("ActiveTrustedSigners", E("Enabled", "false"), E("Quantity", "0")),
            E("ActiveTrustedKeyGroups", E("Enabled", "false"), E("Quantity", "0")),
            new XElement(d.Config),
            IcpRecordals(aliases));
    }

    /// <summary>A <c>DistributionSummary</c>, members in the model's order; required ones the config omits get CloudFront's defaults.</summary>
    private XElement Summary(CloudFrontDistribution d, DateTimeOffset now)
    {
        var c = d.Config;
        XElement Copy(string name, Func<XElement> fallback) => c.Element(Ns + name) is { } e ? new XElement(e) : fallback();
        XElement? CopyIfAny(string name) => c.Element(Ns + name) is { } e ? new XElement(e) : null;
        XElement Empty(string name) => E(name, E("Quantity", "0"));
        return E(
            "DistributionSummary",
            E("Id", d.Id),
            E("ARN", d.Arn),
            E("ETag", d.ETag),
            E("Status", state.DistributionStatus(d, now)),
            E("LastModifiedTime", Timestamp(d.ChangedAt)),
            E("DomainName", d.DomainName),
            Copy("Aliases", () => Empty("Aliases")),
            Copy("Origins", () => Empty("Origins")),
            Copy("OriginGroups", () => Empty("OriginGroups")),
            Copy("DefaultCacheBehavior", () => E("DefaultCacheBehavior")),
            Copy("CacheBehaviors", () => Empty("CacheBehaviors")),
            Copy("CustomErrorResponses", () => Empty("CustomErrorResponses")),
            E("Comment", Text(c, "Comment") ?? ""),
            E("PriceClass", Text(c, "PriceClass") ?? "PriceClass_All"),
            E("Enabled", Bool(IsEnabled(c))),
            Copy("ViewerCertificate", () => E(
                "ViewerCertificate",
                E("CloudFrontDefaultCertificate", "true"),
                E("SSLSupportMethod", "vip"),
                E("MinimumProtocolVersion", "TLSv1"),
                E("CertificateSource", "cloudfront"))),
            Copy("Restrictions", () => E("Restrictions", E("GeoRestriction", E("RestrictionType", "none"), E("Quantity", "0")))),
            E("WebACLId", Text(c, "WebACLId") ?? ""),
            E("HttpVersion", Text(c, "HttpVersion") ?? "http2"),
            E("IsIPV6Enabled", Text(c, "IsIPV6Enabled") ?? "false"),
            IcpRecordals(Aliases(c)),
            E("Staging", Text(c, "Staging") ?? "false"),
            CopyIfAny("ConnectionMode"),
            CopyIfAny("AnycastIpListId"),
            CopyIfAny("ViewerMtlsConfig"),
            CopyIfAny("ConnectionFunctionAssociation"));
    }

    private static XElement? IcpRecordals(List<string> aliases) =>
        aliases.Count == 0 ? null : E("AliasICPRecordals", aliases.Select(a => E("AliasICPRecordal", E("CNAME", a), E("ICPRecordalStatus", "APPROVED"))));
}
