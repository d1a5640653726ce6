using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Tests;

public class XmlTests
{
    private const string Ns = CloudFrontMock.Ns;

    [Fact]
    public void DistributionConfig_SimpleSpec_ExactXmlInModelOrder()
    {
        var xml = new CloudFrontMock().ConfigXml(TestSpecs.Simple);

        const string Behavior = "<TargetOriginId>poppy-origin-0</TargetOriginId>"
            + "<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>"
            + "<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>"
            + "<AllowedMethods><Quantity>7</Quantity><Items><Method>HEAD</Method><Method>DELETE</Method><Method>POST</Method><Method>GET</Method><Method>OPTIONS</Method><Method>PUT</Method><Method>PATCH</Method></Items>"
            + "<CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>"
            + "<SmoothStreaming>false</SmoothStreaming><Compress>true</Compress><LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>"
            + "<FunctionAssociations><Quantity>0</Quantity></FunctionAssociations><FieldLevelEncryptionId />"
            + "<ForwardedValues><QueryString>true</QueryString><Cookies><Forward>none</Forward></Cookies><Headers><Quantity>1</Quantity><Items><Name>Host</Name></Items></Headers><QueryStringCacheKeys><Quantity>0</Quantity></QueryStringCacheKeys></ForwardedValues>"
            + "<MinTTL>0</MinTTL><DefaultTTL>3600</DefaultTTL><MaxTTL>31536000</MaxTTL>";
        var expected = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + $"<DistributionConfig xmlns=\"{Ns}\">"
            + "<CallerReference>svc-1</CallerReference>"
            + "<Aliases><Quantity>1</Quantity><Items><CNAME>www.example.com</CNAME></Items></Aliases>"
            + "<Origins><Quantity>1</Quantity><Items><Origin><Id>poppy-origin-0</Id><DomainName>origin.example.net</DomainName><OriginPath />"
            + "<CustomHeaders><Quantity>0</Quantity></CustomHeaders>"
            + "<CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy>"
            + "<OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>"
            + "<OriginReadTimeout>30</OriginReadTimeout><OriginKeepaliveTimeout>5</OriginKeepaliveTimeout></CustomOriginConfig>"
            + "<ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout><OriginShield><Enabled>false</Enabled></OriginShield><OriginAccessControlId /></Origin></Items></Origins>"
            + "<DefaultCacheBehavior>" + Behavior + "</DefaultCacheBehavior>"
            + "<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors>"
            + "<Comment>poppy:service_id=svc-1</Comment>"
            + "<Enabled>true</Enabled>"
            + $"<ViewerCertificate><ACMCertificateArn>{CloudFrontMock.AcmArn}</ACMCertificateArn><SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>"
            + "<Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>"
            + "</DistributionConfig>";
        Assert.Equal(expected, xml);
    }

    [Fact]
    public void DistributionConfig_RoundTripsAndKeepsUnmanagedMembersInOrder()
    {
        var xml = new CloudFrontMock().ConfigXml(TestSpecs.Rich).Replace(
            "<Comment>",
            "<CustomErrorResponses><Quantity>1</Quantity><Items><CustomErrorResponse><ErrorCode>404</ErrorCode></CustomErrorResponse></Items></CustomErrorResponses><Comment>",
            StringComparison.Ordinal).Replace("</Restrictions>", "</Restrictions><WebACLId>acl-1</WebACLId><HttpVersion>http2</HttpVersion>", StringComparison.Ordinal);

        var config = CloudFrontXml.ReadDistributionConfig(CloudFrontXml.Root(xml, "DistributionConfig"));
        Assert.Equal(["CustomErrorResponses", "HttpVersion", "WebACLId"], config.Preserved.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(xml, CloudFrontXml.DistributionConfig(config));
    }

    [Fact]
    public void InvalidationBatch_ExactXml() =>
        Assert.Equal(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><InvalidationBatch xmlns=\"{Ns}\"><Paths><Quantity>2</Quantity><Items><Path>/a.css</Path><Path>/img/*</Path></Items></Paths><CallerReference>ref-1</CallerReference></InvalidationBatch>",
            CloudFrontXml.InvalidationBatch(["/a.css", "/img/*"], "ref-1"));

    [Fact]
    public void CreateFunction_ExactXml_CodeBase64() =>
        Assert.Equal(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><CreateFunctionRequest xmlns=\"{Ns}\"><Name>f</Name><FunctionConfig><Comment>c</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>{Convert.ToBase64String("x"u8.ToArray())}</FunctionCode></CreateFunctionRequest>",
            CloudFrontXml.CreateFunction("f", "c", "cloudfront-js-2.0", "x"u8.ToArray()));

    [Fact]
    public void Values_AreEscaped() =>
        Assert.Contains("<Comment>a &lt;b&gt; &amp; c</Comment>", CloudFrontXml.UpdateFunction("a <b> & c", "cloudfront-js-2.0", []), StringComparison.Ordinal);

    [Fact]
    public void ReadError_ReadsCodeMessageAndRequestId()
    {
        var error = CloudFrontXml.ReadError($"<?xml version=\"1.0\"?><ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>");
        Assert.Equal(new ErrorResponse("Sender", "Throttling", "Rate exceeded", "r-1"), error);
        Assert.Null(CloudFrontXml.ReadError("<html>bad gateway</html>"));
        Assert.Null(CloudFrontXml.ReadError("not xml"));
    }

    [Fact]
    public void Parse_RejectsDtd() =>
        Assert.ThrowsAny<System.Xml.XmlException>(() => XmlTree.Parse("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
}
