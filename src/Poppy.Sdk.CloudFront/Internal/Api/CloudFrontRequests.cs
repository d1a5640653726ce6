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

    /// <summary>Reads the answer's XML root element, tagged with the answer's <c>ETag</c>; a body that is not that element is a malformed answer.</summary>
    public static Tagged<T> Read<T>(VendorConnection connection, VendorResponse response, string root, Func<XmlTree, T> read) =>
        Read(connection, response, root, read, ETag(response));

    /// <summary>Reads the answer's XML root element, tagged with <paramref name="etag"/>.</summary>
    public static Tagged<T> Read<T>(VendorConnection connection, VendorResponse response, string root, Func<XmlTree, T> read, string? etag)
    {
        try
        {
            return new Tagged<T>(read(CloudFrontXml.Root(response.Body, root)), etag);
        }
        catch (XmlException ex)
        {
            throw connection.Malformed(response, "a " + root + " element", ex);
        }
    }

    /// <summary>The answer's ETag. CloudFront's are unquoted, which the typed header rejects, so the raw value is read.</summary>
    public static string? ETag(VendorResponse response) => response.Headers.ETag?.Tag ?? response.Header("ETag");

    /// <summary>
    /// UpdateFunction's ETag: its model (botocore's <c>UpdateFunctionResult</c>) names the header <c>ETtag</c>, and that is
    /// what CloudFront sends and every official SDK reads; <c>ETag</c> is the fallback should it ever be corrected.
    /// </summary>
    public static string? UpdateFunctionETag(VendorResponse response) => response.Header("ETtag") ?? ETag(response);
}
