using System.Globalization;
using System.Text;
using System.Xml;

namespace Poppy.Sdk.CloudFront.Internal.Xml;

/// <summary>
/// Writes and reads the CloudFront REST-XML documents this provider exchanges, by hand with
/// <see cref="XmlWriter"/> and <see cref="XmlReader"/> (through <see cref="XmlTree"/>). Element order follows
/// the 2020-05-31 model; every list is a <c>Quantity</c> plus an <c>Items</c> element (omitted when empty).
/// </summary>
internal static class CloudFrontXml
{
    private const string Ns = XmlTree.Namespace;

    /// <summary>DistributionConfig members in model order.</summary>
    internal static readonly string[] DistributionConfigMembers =
    [
        "CallerReference", "Aliases", "DefaultRootObject", "Origins", "OriginGroups", "DefaultCacheBehavior", "CacheBehaviors",
        "CustomErrorResponses", "Comment", "Logging", "PriceClass", "Enabled", "ViewerCertificate", "Restrictions", "WebACLId",
        "HttpVersion", "IsIPV6Enabled", "ContinuousDeploymentPolicyId", "Staging", "AnycastIpListId", "TenantConfig",
        "ConnectionMode", "ViewerMtlsConfig", "ConnectionFunctionAssociation", "CacheTagConfig",
    ];

    /// <summary>The methods every behaviour allows (CloudFront accepts only {GET,HEAD}, {GET,HEAD,OPTIONS} or all seven).</summary>
    private static readonly string[] AllowedMethods = ["HEAD", "DELETE", "POST", "GET", "OPTIONS", "PUT", "PATCH"];

    private static readonly string[] CachedMethods = ["HEAD", "GET"];

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
    };

    // ------------------------------------------------------------------ writing

    public static string DistributionConfig(DistributionConfig config) => Write(w => WriteDistributionConfig(w, config));

    public static string DistributionConfigWithTags(DistributionConfig config, IReadOnlyList<KeyValuePair<string, string>> tags) => Write(w =>
    {
        w.WriteStartElement("DistributionConfigWithTags", Ns);
        WriteDistributionConfig(w, config);
        WriteTags(w, tags);
        w.WriteEndElement();
    });

    public static string Tags(IReadOnlyList<KeyValuePair<string, string>> tags) => Write(w => WriteTags(w, tags));

    public static string TagKeys(IReadOnlyList<string> keys) => Write(w =>
    {
        w.WriteStartElement("TagKeys", Ns);
        w.WriteStartElement("Items", Ns);
        foreach (var key in keys)
        {
            w.WriteElementString("Key", Ns, key);
        }

        w.WriteEndElement();
        w.WriteEndElement();
    });

    public static string InvalidationBatch(IReadOnlyList<string> paths, string callerReference) => Write(w =>
    {
        w.WriteStartElement("InvalidationBatch", Ns);
        WriteList(w, "Paths", "Path", paths);
        w.WriteElementString("CallerReference", Ns, callerReference);
        w.WriteEndElement();
    });

    public static string CreateFunction(string name, string comment, string runtime, byte[] code) => Write(w =>
    {
        w.WriteStartElement("CreateFunctionRequest", Ns);
        w.WriteElementString("Name", Ns, name);
        WriteFunctionConfig(w, comment, runtime);
        w.WriteElementString("FunctionCode", Ns, Convert.ToBase64String(code));
        w.WriteEndElement();
    });

    public static string UpdateFunction(string comment, string runtime, byte[] code) => Write(w =>
    {
        w.WriteStartElement("UpdateFunctionRequest", Ns);
        WriteFunctionConfig(w, comment, runtime);
        w.WriteElementString("FunctionCode", Ns, Convert.ToBase64String(code));
        w.WriteEndElement();
    });

    private static void WriteFunctionConfig(XmlWriter w, string comment, string runtime)
    {
        w.WriteStartElement("FunctionConfig", Ns);
        w.WriteElementString("Comment", Ns, comment);
        w.WriteElementString("Runtime", Ns, runtime);
        w.WriteEndElement();
    }

    private static string Write(Action<XmlWriter> body)
    {
        var sb = new StringBuilder(1024);
        using (var writer = XmlWriter.Create(new Utf8StringWriter(sb), WriterSettings))
        {
            writer.WriteStartDocument();
            body(writer);
            writer.WriteEndDocument();
        }

        return sb.ToString();
    }

    private static void WriteTags(XmlWriter w, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        w.WriteStartElement("Tags", Ns);
        if (tags.Count > 0)
        {
            w.WriteStartElement("Items", Ns);
            foreach (var (key, value) in tags)
            {
                w.WriteStartElement("Tag", Ns);
                w.WriteElementString("Key", Ns, key);
                w.WriteElementString("Value", Ns, value);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteDistributionConfig(XmlWriter w, DistributionConfig c)
    {
        w.WriteStartElement("DistributionConfig", Ns);
        foreach (var member in DistributionConfigMembers)
        {
            switch (member)
            {
                case "CallerReference":
                    w.WriteElementString(member, Ns, c.CallerReference);
                    break;
                case "Aliases":
                    WriteList(w, member, "CNAME", c.Aliases);
                    break;
                case "Origins":
                    WriteCount(w, member, c.Origins.Count, c.Origins, WriteOrigin);
                    break;
                case "DefaultCacheBehavior":
                    WriteBehavior(w, member, c.DefaultCacheBehavior);
                    break;
                case "CacheBehaviors":
                    WriteCount(w, member, c.CacheBehaviors.Count, c.CacheBehaviors, (x, b) => WriteBehavior(x, "CacheBehavior", b));
                    break;
                case "Comment":
                    w.WriteElementString(member, Ns, c.Comment);
                    break;
                case "Enabled":
                    w.WriteElementString(member, Ns, Bool(c.Enabled));
                    break;
                case "ViewerCertificate" when c.ViewerCertificate is { } cert:
                    WriteViewerCertificate(w, cert);
                    break;
                case "Restrictions" when c.GeoRestriction is { } geo:
                    w.WriteStartElement(member, Ns);
                    w.WriteStartElement("GeoRestriction", Ns);
                    w.WriteElementString("RestrictionType", Ns, geo.RestrictionType);
                    WriteQuantityAndItems(w, "Location", geo.Locations);
                    w.WriteEndElement();
                    w.WriteEndElement();
                    break;
                case "CacheTagConfig" when c.CacheTagHeaderName is { } header:
                    w.WriteStartElement(member, Ns);
                    w.WriteElementString("HeaderName", Ns, header);
                    w.WriteEndElement();
                    break;
                case "ViewerCertificate" or "Restrictions" or "CacheTagConfig":
                    break;
                default:
                    if (c.Preserved.TryGetValue(member, out var kept))
                    {
                        kept.WriteTo(w);
                    }

                    break;
            }
        }

        w.WriteEndElement();
    }

    private static void WriteOrigin(XmlWriter w, CfOrigin o)
    {
        w.WriteStartElement("Origin", Ns);
        w.WriteElementString("Id", Ns, o.Id);
        w.WriteElementString("DomainName", Ns, o.DomainName);
        w.WriteElementString("OriginPath", Ns, o.OriginPath);
        WriteQuantityOnly(w, "CustomHeaders");
        w.WriteStartElement("CustomOriginConfig", Ns);
        w.WriteElementString("HTTPPort", Ns, Int(o.HttpPort));
        w.WriteElementString("HTTPSPort", Ns, Int(o.HttpsPort));
        w.WriteElementString("OriginProtocolPolicy", Ns, o.ProtocolPolicy ?? "match-viewer");
        WriteList(w, "OriginSslProtocols", "SslProtocol", ["TLSv1.2"]);
        w.WriteElementString("OriginReadTimeout", Ns, "30");
        w.WriteElementString("OriginKeepaliveTimeout", Ns, "5");
        w.WriteEndElement();
        w.WriteElementString("ConnectionAttempts", Ns, "3");
        w.WriteElementString("ConnectionTimeout", Ns, "10");
        w.WriteStartElement("OriginShield", Ns);
        w.WriteElementString("Enabled", Ns, "false");
        w.WriteEndElement();
        w.WriteElementString("OriginAccessControlId", Ns, "");
        w.WriteEndElement();
    }

    private static void WriteBehavior(XmlWriter w, string element, CacheBehavior b)
    {
        w.WriteStartElement(element, Ns);
        if (b.PathPattern is { } pattern)
        {
            w.WriteElementString("PathPattern", Ns, pattern);
        }

        w.WriteElementString("TargetOriginId", Ns, b.TargetOriginId);
        foreach (var signers in (string[])["TrustedSigners", "TrustedKeyGroups"])
        {
            w.WriteStartElement(signers, Ns);
            w.WriteElementString("Enabled", Ns, "false");
            w.WriteElementString("Quantity", Ns, "0");
            w.WriteEndElement();
        }

        w.WriteElementString("ViewerProtocolPolicy", Ns, b.ViewerProtocolPolicy);
        w.WriteStartElement("AllowedMethods", Ns);
        WriteQuantityAndItems(w, "Method", AllowedMethods);
        WriteList(w, "CachedMethods", "Method", CachedMethods);
        w.WriteEndElement();
        w.WriteElementString("SmoothStreaming", Ns, "false");
        w.WriteElementString("Compress", Ns, "true");
        WriteQuantityOnly(w, "LambdaFunctionAssociations");
        WriteCount(w, "FunctionAssociations", b.FunctionAssociations.Count, b.FunctionAssociations, static (x, f) =>
        {
            x.WriteStartElement("FunctionAssociation", Ns);
            x.WriteElementString("FunctionARN", Ns, f.FunctionArn);
            x.WriteElementString("EventType", Ns, f.EventType);
            x.WriteEndElement();
        });
        w.WriteElementString("FieldLevelEncryptionId", Ns, "");
        w.WriteStartElement("ForwardedValues", Ns);
        w.WriteElementString("QueryString", Ns, "true");
        w.WriteStartElement("Cookies", Ns);
        w.WriteElementString("Forward", Ns, "none");
        w.WriteEndElement();
        WriteList(w, "Headers", "Name", b.ForwardedHeaders);
        WriteQuantityOnly(w, "QueryStringCacheKeys");
        w.WriteEndElement();
        w.WriteElementString("MinTTL", Ns, Long(b.MinTtl ?? 0));
        w.WriteElementString("DefaultTTL", Ns, Long(b.DefaultTtl ?? 86_400));
        w.WriteElementString("MaxTTL", Ns, Long(b.MaxTtl ?? 31_536_000));
        w.WriteEndElement();
    }

    private static void WriteViewerCertificate(XmlWriter w, ViewerCertificate cert)
    {
        w.WriteStartElement("ViewerCertificate", Ns);
        if (cert.CloudFrontDefaultCertificate)
        {
            w.WriteElementString("CloudFrontDefaultCertificate", Ns, "true");
        }

        if (cert.IamCertificateId is { } iam)
        {
            w.WriteElementString("IAMCertificateId", Ns, iam);
        }

        if (cert.AcmCertificateArn is { } acm)
        {
            w.WriteElementString("ACMCertificateArn", Ns, acm);
        }

        if (cert.SslSupportMethod is { } method)
        {
            w.WriteElementString("SSLSupportMethod", Ns, method);
        }

        if (cert.MinimumProtocolVersion is { } min)
        {
            w.WriteElementString("MinimumProtocolVersion", Ns, min);
        }

        w.WriteEndElement();
    }

    private static void WriteList(XmlWriter w, string element, string item, IReadOnlyCollection<string> values)
    {
        w.WriteStartElement(element, Ns);
        WriteQuantityAndItems(w, item, values);
        w.WriteEndElement();
    }

    private static void WriteQuantityAndItems(XmlWriter w, string item, IReadOnlyCollection<string> values)
    {
        w.WriteElementString("Quantity", Ns, Int(values.Count));
        if (values.Count > 0)
        {
            w.WriteStartElement("Items", Ns);
            foreach (var value in values)
            {
                w.WriteElementString(item, Ns, value);
            }

            w.WriteEndElement();
        }
    }

    private static void WriteCount<T>(XmlWriter w, string element, int count, IEnumerable<T> items, Action<XmlWriter, T> writeItem)
    {
        w.WriteStartElement(element, Ns);
        w.WriteElementString("Quantity", Ns, Int(count));
        if (count > 0)
        {
            w.WriteStartElement("Items", Ns);
            foreach (var item in items)
            {
                writeItem(w, item);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteQuantityOnly(XmlWriter w, string element)
    {
        w.WriteStartElement(element, Ns);
        w.WriteElementString("Quantity", Ns, "0");
        w.WriteEndElement();
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ reading

    /// <summary>Parses a document whose root must be <paramref name="root"/>.</summary>
    /// <exception cref="XmlException">Malformed, or another root.</exception>
    public static XmlTree Root(string xml, string root)
    {
        var tree = XmlTree.Parse(xml);
        return tree.Name == root ? tree : throw new XmlException($"Expected <{root}>, got <{tree.Name}>.");
    }

    public static DistributionConfig ReadDistributionConfig(XmlTree e)
    {
        var config = new DistributionConfig
        {
            CallerReference = e.Required("CallerReference"),
            Aliases = e.ItemTexts("Aliases"),
            Origins = e.Items("Origins").Select(ReadOrigin).ToList(),
            DefaultCacheBehavior = ReadBehavior(e.Child("DefaultCacheBehavior") ?? throw new XmlException("<DistributionConfig> has no <DefaultCacheBehavior>.")),
            CacheBehaviors = e.Items("CacheBehaviors").Select(ReadBehavior).ToList(),
            Comment = e.Value("Comment") ?? "",
            Enabled = e.Bool("Enabled") ?? false,
            CacheTagHeaderName = e.Child("CacheTagConfig")?.Value("HeaderName"),
        };
        if (e.Child("ViewerCertificate") is { } cert)
        {
            config.ViewerCertificate = new ViewerCertificate
            {
                CloudFrontDefaultCertificate = cert.Bool("CloudFrontDefaultCertificate") ?? false,
                IamCertificateId = cert.Value("IAMCertificateId"),
                AcmCertificateArn = cert.Value("ACMCertificateArn"),
                SslSupportMethod = cert.Value("SSLSupportMethod"),
                MinimumProtocolVersion = cert.Value("MinimumProtocolVersion"),
            };
        }

        if (e.Child("Restrictions")?.Child("GeoRestriction") is { } geo)
        {
            config.GeoRestriction = new GeoRestriction
            {
                RestrictionType = geo.Value("RestrictionType") ?? "none",
                Locations = geo.Child("Items")?.Children.Select(i => i.Text ?? "").ToList() ?? [],
            };
        }

        foreach (var child in e.Children)
        {
            if (child.Name is not ("CallerReference" or "Aliases" or "Origins" or "DefaultCacheBehavior" or "CacheBehaviors" or "Comment"
                or "Enabled" or "ViewerCertificate" or "Restrictions" or "CacheTagConfig"))
            {
                config.Preserved[child.Name] = child;
            }
        }

        return config;
    }

    private static CfOrigin ReadOrigin(XmlTree e)
    {
        var custom = e.Child("CustomOriginConfig");
        return new CfOrigin
        {
            Id = e.Required("Id"),
            DomainName = e.Required("DomainName"),
            OriginPath = e.Value("OriginPath") ?? "",
            HttpPort = custom?.Int("HTTPPort") ?? 80,
            HttpsPort = custom?.Int("HTTPSPort") ?? 443,
            ProtocolPolicy = custom?.Value("OriginProtocolPolicy"),
        };
    }

    private static CacheBehavior ReadBehavior(XmlTree e) => new()
    {
        PathPattern = e.Value("PathPattern"),
        TargetOriginId = e.Required("TargetOriginId"),
        ViewerProtocolPolicy = e.Value("ViewerProtocolPolicy") ?? "allow-all",
        FunctionAssociations = e.Items("FunctionAssociations")
            .Select(f => new FunctionAssociation(f.Value("FunctionARN") ?? "", f.Value("EventType") ?? "")).ToList(),
        ForwardedHeaders = e.Child("ForwardedValues")?.ItemTexts("Headers") ?? [],
        CachePolicyId = e.Value("CachePolicyId") is { Length: > 0 } policy ? policy : null,
        MinTtl = e.Long("MinTTL"),
        DefaultTtl = e.Long("DefaultTTL"),
        MaxTtl = e.Long("MaxTTL"),
    };

    public static Distribution ReadDistribution(XmlTree e) => new()
    {
        Id = e.Required("Id"),
        Arn = e.Value("ARN") ?? "",
        Status = e.Required("Status"),
        LastModifiedTime = e.Time("LastModifiedTime"),
        InProgressInvalidationBatches = e.Int("InProgressInvalidationBatches") ?? 0,
        DomainName = e.Required("DomainName"),
        Config = ReadDistributionConfig(e.Child("DistributionConfig") ?? throw new XmlException("<Distribution> has no <DistributionConfig>.")),
    };

    public static DistributionList ReadDistributionList(XmlTree e) => new(
        e.Child("Items")?.Children.Select(s => new DistributionSummary(
            s.Required("Id"),
            s.Value("ARN") ?? "",
            s.Value("Status") ?? "",
            s.Value("DomainName") ?? "",
            s.Value("Comment") ?? "",
            s.Bool("Enabled") ?? false,
            s.ItemTexts("Aliases"))).ToList() ?? [],
        e.Bool("IsTruncated") ?? false,
        e.Value("NextMarker") is { Length: > 0 } next ? next : null);

    public static Invalidation ReadInvalidation(XmlTree e)
    {
        var batch = e.Child("InvalidationBatch");
        return new Invalidation(
            e.Required("Id"),
            e.Required("Status"),
            e.Time("CreateTime"),
            batch?.ItemTexts("Paths") ?? [],
            batch?.Value("CallerReference") ?? "");
    }

    public static InvalidationList ReadInvalidationList(XmlTree e) => new(
        e.Child("Items")?.Children.Select(s => new InvalidationSummary(s.Required("Id"), s.Value("Status") ?? "")).ToList() ?? [],
        e.Bool("IsTruncated") ?? false,
        e.Value("NextMarker") is { Length: > 0 } next ? next : null);

    public static FunctionSummary ReadFunctionSummary(XmlTree e)
    {
        var config = e.Child("FunctionConfig");
        var metadata = e.Child("FunctionMetadata");
        return new FunctionSummary(
            e.Required("Name"),
            e.Value("Status"),
            config?.Value("Comment") ?? "",
            config?.Value("Runtime") ?? "",
            metadata?.Value("FunctionARN") ?? "",
            metadata?.Value("Stage"));
    }

    public static List<KeyValuePair<string, string>> ReadTags(XmlTree e) =>
        e.Child("Items")?.Children.Select(t => KeyValuePair.Create(t.Value("Key") ?? "", t.Value("Value") ?? "")).ToList() ?? [];

    /// <summary>Reads an <c>ErrorResponse</c> (or a bare <c>Error</c>); null when the body is not one.</summary>
    public static ErrorResponse? ReadError(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            var root = XmlTree.Parse(body);
            var error = root.Name == "Error" ? root : root.Child("Error");
            return error is null ? null : new ErrorResponse(error.Value("Type"), error.Value("Code"), error.Value("Message"), root.Value("RequestId") ?? error.Value("RequestId"));
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
