using System.Globalization;
using System.Xml.Linq;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>
/// The part of CloudFront's request schema the emulator checks, as CloudFront's own schema validation
/// does: members known and not repeated, required members present, numbers, booleans and enumerations
/// well-formed, list items named as the model names them. Violations are <c>MalformedXML</c>.
/// Structures not listed here are accepted as sent (only their <c>Quantity</c>/<c>Items</c> are checked).
/// Member order is not checked: CloudFront accepts any order (AWS's own JavaScript SDK writes the
/// required members first, not in the model's order); the members of the structures listed are put
/// back into the model's order, the order CloudFront answers in.
/// </summary>
/// <remarks>
/// A member is written <c>Name</c> followed by <c>!</c> when required, then its type: <c>#</c> an
/// integer, <c>?</c> a boolean, <c>=Enum</c> an enumeration, <c>:Shape</c> a structure below,
/// <c>*Item</c> or <c>*Item:Shape</c> a list whose items are named <c>Item</c>; nothing for a string.
/// A <c>:Shape</c> not in the table is a structure accepted as sent.
/// </remarks>
internal static class CloudFrontSchema
{
    private static readonly Dictionary<string, string[]> Enums = new(StringComparer.Ordinal)
    {
        ["ViewerProtocolPolicy"] = ["allow-all", "https-only", "redirect-to-https"],
        ["EventType"] = ["viewer-request", "viewer-response", "origin-request", "origin-response"],
        ["GeoRestrictionType"] = ["blacklist", "whitelist", "none"],
        ["PriceClass"] = ["PriceClass_100", "PriceClass_200", "PriceClass_All", "None"],
        ["HttpVersion"] = ["http1.1", "http2", "http3", "http2and3"],
        ["OriginProtocolPolicy"] = ["http-only", "match-viewer", "https-only"],
        ["SslProtocol"] = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"],
        ["Method"] = ["GET", "HEAD", "POST", "PUT", "PATCH", "OPTIONS", "DELETE"],
        ["ItemSelection"] = ["none", "whitelist", "all"],
        ["SSLSupportMethod"] = ["sni-only", "vip", "static-ip"],
        ["CertificateSource"] = ["cloudfront", "iam", "acm"],
        ["IpAddressType"] = ["ipv4", "ipv6", "dualstack"],
        ["FunctionStage"] = ["DEVELOPMENT", "LIVE"],
    };

    private static readonly string[] CacheBehaviorTail =
    [
        "TrustedSigners:TrustedSigners", "TrustedKeyGroups:TrustedKeyGroups", "ViewerProtocolPolicy!=ViewerProtocolPolicy",
        "AllowedMethods:AllowedMethods", "SmoothStreaming?", "Compress?", "LambdaFunctionAssociations:LambdaFunctionAssociations",
        "FunctionAssociations:FunctionAssociations", "FieldLevelEncryptionId", "RealtimeLogConfigArn", "CachePolicyId",
        "OriginRequestPolicyId", "ResponseHeadersPolicyId", "GrpcConfig:GrpcConfig", "ForwardedValues:ForwardedValues", "MinTTL#", "DefaultTTL#", "MaxTTL#",
    ];

    private static readonly Dictionary<string, Member[]> Shapes = new(StringComparer.Ordinal)
    {
        ["DistributionConfigWithTags"] = Members("DistributionConfig!:DistributionConfig", "Tags!:Tags"),
        ["DistributionConfig"] = Members(
            "CallerReference!", "Aliases:Aliases", "DefaultRootObject", "Origins!:Origins", "OriginGroups:OriginGroups",
            "DefaultCacheBehavior!:DefaultCacheBehavior", "CacheBehaviors:CacheBehaviors", "CustomErrorResponses:CustomErrorResponses",
            "Comment!", "Logging:LoggingConfig", "PriceClass=PriceClass", "Enabled!?", "ViewerCertificate:ViewerCertificate",
            "Restrictions:Restrictions", "WebACLId", "HttpVersion=HttpVersion", "IsIPV6Enabled?", "ContinuousDeploymentPolicyId",
            "Staging?", "AnycastIpListId", "TenantConfig:TenantConfig", "ConnectionMode", "ViewerMtlsConfig:ViewerMtlsConfig", "ConnectionFunctionAssociation:ConnectionFunctionAssociation",
            "CacheTagConfig:CacheTagConfig"),
        ["Aliases"] = Members("Quantity!#", "Items*CNAME"),
        ["Origins"] = Members("Quantity!#", "Items!*Origin:Origin"),
        ["Origin"] = Members(
            "Id!", "DomainName!", "OriginPath", "CustomHeaders:CustomHeaders", "S3OriginConfig:S3OriginConfig",
            "CustomOriginConfig:CustomOriginConfig", "VpcOriginConfig:VpcOriginConfig", "ConnectionAttempts#", "ConnectionTimeout#",
            "ResponseCompletionTimeout#", "OriginShield:OriginShield", "OriginAccessControlId"),
        ["CustomHeaders"] = Members("Quantity!#", "Items*OriginCustomHeader:OriginCustomHeader"),
        ["OriginCustomHeader"] = Members("HeaderName!", "HeaderValue!"),
        ["S3OriginConfig"] = Members("OriginAccessIdentity!", "OriginReadTimeout#"),
        ["CustomOriginConfig"] = Members(
            "HTTPPort!#", "HTTPSPort!#", "OriginProtocolPolicy!=OriginProtocolPolicy", "OriginSslProtocols:OriginSslProtocols",
            "OriginReadTimeout#", "OriginKeepaliveTimeout#", "IpAddressType=IpAddressType", "OriginMtlsConfig:OriginMtlsConfig"),
        ["OriginSslProtocols"] = Members("Quantity!#", "Items!*SslProtocol=SslProtocol"),
        ["OriginShield"] = Members("Enabled!?", "OriginShieldRegion"),
        ["OriginGroups"] = Members("Quantity!#", "Items*OriginGroup:OriginGroup"),
        ["DefaultCacheBehavior"] = Members(["TargetOriginId!", .. CacheBehaviorTail]),
        ["CacheBehaviors"] = Members("Quantity!#", "Items*CacheBehavior:CacheBehavior"),
        ["CacheBehavior"] = Members(["PathPattern!", "TargetOriginId!", .. CacheBehaviorTail]),
        ["TrustedSigners"] = Members("Enabled!?", "Quantity!#", "Items*AwsAccountNumber"),
        ["TrustedKeyGroups"] = Members("Enabled!?", "Quantity!#", "Items*KeyGroup"),
        ["AllowedMethods"] = Members("Quantity!#", "Items!*Method=Method", "CachedMethods:CachedMethods"),
        ["CachedMethods"] = Members("Quantity!#", "Items!*Method=Method"),
        ["LambdaFunctionAssociations"] = Members("Quantity!#", "Items*LambdaFunctionAssociation:LambdaFunctionAssociation"),
        ["LambdaFunctionAssociation"] = Members("LambdaFunctionARN!", "EventType!=EventType", "IncludeBody?"),
        ["FunctionAssociations"] = Members("Quantity!#", "Items*FunctionAssociation:FunctionAssociation"),
        ["FunctionAssociation"] = Members("FunctionARN!", "EventType!=EventType"),
        ["ForwardedValues"] = Members("QueryString!?", "Cookies!:CookiePreference", "Headers:NameList", "QueryStringCacheKeys:NameList"),
        ["CookiePreference"] = Members("Forward!=ItemSelection", "WhitelistedNames:NameList"),
        ["NameList"] = Members("Quantity!#", "Items*Name"),
        ["CustomErrorResponses"] = Members("Quantity!#", "Items*CustomErrorResponse:CustomErrorResponse"),
        ["CustomErrorResponse"] = Members("ErrorCode!#", "ResponsePagePath", "ResponseCode", "ErrorCachingMinTTL#"),
        ["LoggingConfig"] = Members("Enabled?", "IncludeCookies?", "Bucket", "Prefix"),
        ["ViewerCertificate"] = Members(
            "CloudFrontDefaultCertificate?", "IAMCertificateId", "ACMCertificateArn", "SSLSupportMethod=SSLSupportMethod",
            "MinimumProtocolVersion", "Certificate", "CertificateSource=CertificateSource"),
        ["Restrictions"] = Members("GeoRestriction!:GeoRestriction"),
        ["GeoRestriction"] = Members("RestrictionType!=GeoRestrictionType", "Quantity!#", "Items*Location"),
        ["CacheTagConfig"] = Members("HeaderName!"),
        ["Tags"] = Members("Items*Tag:Tag"),
        ["Tag"] = Members("Key!", "Value"),
        ["TagKeys"] = Members("Items*Key"),
        ["CreateFunctionRequest"] = Members("Name!", "FunctionConfig!:FunctionConfig", "FunctionCode!", "Tags:Tags"),
        ["UpdateFunctionRequest"] = Members("FunctionConfig!:FunctionConfig", "FunctionCode!"),
        ["FunctionConfig"] = Members("Comment!", "Runtime!", "KeyValueStoreAssociations:KeyValueStoreAssociations"),
        ["InvalidationBatch"] = Members("Paths!:Paths", "CallerReference!"),
        ["Paths"] = Members("Quantity!#", "Items*Path"),
    };

    /// <summary>
    /// Validates an element against a shape, then every <c>Quantity</c> against its <c>Items</c>; puts
    /// the members of every structure listed here into the model's order.
    /// </summary>
    /// <param name="element">The element (normalised by <see cref="CloudFrontXml.ParseBody"/>).</param>
    /// <param name="shape">The shape's name.</param>
    public static void Validate(XElement element, string shape)
    {
        Check(element, shape);
        CheckQuantities(element);
    }

    private static void Check(XElement element, string shape)
    {
        var members = Shapes[shape];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var where = element.Name.LocalName;
        foreach (var child in element.Elements())
        {
            var name = child.Name.LocalName;
            var member = Array.Find(members, m => m.Name == name)
                ?? throw CloudFrontXml.Malformed($"Unexpected element {name} in {where}; expected one of {string.Join(", ", members.Select(m => m.Name))}.");
            if (!seen.Add(name))
            {
                throw CloudFrontXml.Malformed($"The element {name} appears more than once in {where}.");
            }

            CheckMember(child, member, where);
        }

        var ordered = element.Elements().OrderBy(c => Array.FindIndex(members, m => m.Name == c.Name.LocalName)).ToList();
        element.ReplaceNodes(ordered);

        foreach (var member in members)
        {
            if (member.Required && element.Element(CloudFrontXml.Ns + member.Name) is null)
            {
                throw CloudFrontXml.Malformed($"{where} is missing the required element {member.Name}.");
            }
        }
    }

    private static void CheckMember(XElement child, Member member, string where)
    {
        if (member.ListItem is { } item)
        {
            foreach (var entry in child.Elements())
            {
                if (entry.Name.LocalName != item)
                {
                    throw CloudFrontXml.Malformed($"{where}/{member.Name} may only hold {item} elements, not {entry.Name.LocalName}.");
                }

                CheckValue(entry, member, $"{where}/{member.Name}");
            }

            return;
        }

        CheckValue(child, member, where);
    }

    private static void CheckValue(XElement value, Member member, string where)
    {
        var name = value.Name.LocalName;
        if (member.Shape is { } shape)
        {
            if (Shapes.ContainsKey(shape))
            {
                Check(value, shape);
            }

            return;
        }

        if (value.HasElements)
        {
            throw CloudFrontXml.Malformed($"{where}/{name} must be a simple value.");
        }

        var text = value.Value;
        switch (member.Kind)
        {
            case '#' when !long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                throw CloudFrontXml.Malformed($"{where}/{name} must be an integer, not '{text}'.");
            case '?' when text.Trim() is not ("true" or "false"):
                throw CloudFrontXml.Malformed($"{where}/{name} must be true or false, not '{text}'.");
            case '=' when !Enums[member.Enum!].Contains(text.Trim(), StringComparer.Ordinal):
                throw CloudFrontXml.Malformed($"{where}/{name} must be one of {string.Join(", ", Enums[member.Enum!])}, not '{text}'.");
        }
    }

    /// <summary>Every element with a <c>Quantity</c> child must have that many children in its <c>Items</c>.</summary>
    private static void CheckQuantities(XElement element)
    {
        foreach (var e in element.DescendantsAndSelf())
        {
            if (e.Element(CloudFrontXml.Ns + "Quantity") is not { } quantity)
            {
                continue;
            }

            if (!int.TryParse(quantity.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var expected))
            {
                throw CloudFrontXml.Malformed($"{e.Name.LocalName}/Quantity must be a non-negative integer, not '{quantity.Value}'.");
            }

            var actual = e.Element(CloudFrontXml.Ns + "Items")?.Elements().Count() ?? 0;
            if (actual != expected)
            {
                throw new CloudFrontError(
                    "InconsistentQuantities",
                    $"The value of Quantity and the size of Items don't match: {e.Name.LocalName} has Quantity {expected} and {actual} items.");
            }
        }
    }

    private static Member[] Members(params string[] specs) => [.. specs.Select(Member.Parse)];

    /// <summary>One member of a structure.</summary>
    private sealed record Member(string Name, bool Required, char Kind, string? Shape, string? Enum, string? ListItem)
    {
        public static Member Parse(string spec)
        {
            var end = spec.IndexOfAny(['!', '#', '?', ':', '=', '*']);
            var name = end < 0 ? spec : spec[..end];
            var rest = end < 0 ? "" : spec[end..];
            var required = rest.StartsWith('!');
            if (required)
            {
                rest = rest[1..];
            }

            string? listItem = null;
            if (rest.StartsWith('*'))
            {
                var itemEnd = rest.IndexOfAny([':', '=', '#', '?']);
                listItem = itemEnd < 0 ? rest[1..] : rest[1..itemEnd];
                rest = itemEnd < 0 ? "" : rest[itemEnd..];
            }

            var kind = rest.Length > 0 ? rest[0] : 's';
            return new Member(
                name,
                required,
                kind,
                kind == ':' ? rest[1..] : null,
                kind == '=' ? rest[1..] : null,
                listItem);
        }
    }
}
