using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Internal.Api;

/// <summary>Paths, bodies and answers shared by the CloudFront resource clients.</summary>
internal static class CloudFrontRequests
{
    /// <summary>The API version, the first segment of every path.</summary>
    public const string Version = "2020-05-31";

    /// <summary>One path segment (or query value), escaped.</summary>
    public static string Seg(string value) => Uri.EscapeDataString(value);

    /// <summary>An XML body, as CloudFront takes it (<c>text/xml</c>, UTF-8 without a BOM).</summary>
    public static StringContent XmlBody(string xml)
    {
        var content = new StringContent(xml, new UTF8Encoding(false));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>An <c>If-Match</c> header. CloudFront ETags are opaque tokens without quotes; they are sent as given.</summary>
    public static KeyValuePair<string, string>[] IfMatch(string etag) => [KeyValuePair.Create("If-Match", etag)];

    /// <summary>Reads the answer's XML root element; a body that is not that element is a malformed answer.</summary>
    public static Tagged<T> Read<T>(VendorConnection connection, VendorResponse response, string root, Func<XmlTree, T> read)
    {
        try
        {
            return new Tagged<T>(read(CloudFrontXml.Root(response.Body, root)), ETag(response));
        }
        catch (XmlException ex)
        {
            throw connection.Malformed(response, "a " + root + " element", ex);
        }
    }

    /// <summary>
    /// The answer's ETag. CloudFront's are unquoted, which the typed header rejects, so the raw value is read; botocore's
    /// model names UpdateFunction's header <c>ETtag</c>, which is accepted too.
    /// </summary>
    public static string? ETag(VendorResponse response) => response.Headers.ETag?.Tag ?? response.Header("ETag") ?? response.Header("ETtag");
}
