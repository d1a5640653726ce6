using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>CloudFront's REST-XML: the namespace, reading request bodies, writing answers.</summary>
internal static class CloudFrontXml
{
    /// <summary>The API version, the first path segment.</summary>
    public const string ApiVersion = "2020-05-31";

    /// <summary>The XML namespace of every body.</summary>
    public static readonly XNamespace Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>
    /// Parses a request body whose root must be <paramref name="rootName"/> in CloudFront's namespace,
    /// and returns a normalised copy: every element in the namespace, no attributes, no text between
    /// elements. Anything else is <c>MalformedXML</c>; an empty body is <c>MissingBody</c>.
    /// </summary>
    public static XElement ParseBody(byte[] body, string rootName)
    {
        if (body.Length == 0)
        {
            throw new CloudFrontError("MissingBody", "This operation requires a body. Ensure that the body is present and the Content-Type header is set.");
        }

        XElement root;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(stream, ReaderSettings);
            root = XElement.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw Malformed($"The XML is not well-formed: {e.Message}");
        }

        if (root.Name != Ns + rootName)
        {
            throw Malformed($"Expected the root element {rootName} in namespace {Ns.NamespaceName}, got {root.Name.LocalName} in namespace '{root.Name.NamespaceName}'.");
        }

        return Normalise(root);
    }

    /// <summary>The <c>MalformedXML</c> error CloudFront answers bodies that do not validate against its schema with.</summary>
    public static CloudFrontError Malformed(string detail) =>
        new("MalformedXML", "The XML document you provided was not well-formed or did not validate against our published schema. " + detail);

    /// <summary>A child's text, or null when absent.</summary>
    public static string? Text(XElement parent, string name) => parent.Element(Ns + name)?.Value;

    /// <summary>An element in the namespace.</summary>
    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>An ISO-8601 UTC timestamp with milliseconds, as CloudFront writes them.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A boolean as CloudFront writes it.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>An integer, invariant.</summary>
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A document: the XML declaration and the root, unindented.</summary>
    public static string Document(XElement root) => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting);

    /// <summary>CloudFront's error body.</summary>
    public static string ErrorDocument(string code, string message, int status, string requestId) =>
        "<?xml version=\"1.0\"?>\n" + new XElement(
            Ns + "ErrorResponse",
            E("Error", E("Type", status >= 500 ? "Receiver" : "Sender"), E("Code", code), E("Message", message)),
            E("RequestId", requestId)).ToString(SaveOptions.DisableFormatting);

    /// <summary>UTF-8 without a byte-order mark.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The path prefix of every operation.</summary>
    public const string Prefix = "/" + ApiVersion;

    /// <summary>The items of a CloudFront list (<c>Quantity</c> + <c>Items</c>), or none.</summary>
    public static IEnumerable<XElement> Items(XElement? list) => list?.Element(Ns + "Items")?.Elements() ?? [];

    /// <summary>Reads the body, runs the operation and writes its reply.</summary>
    public static async Task AnswerAsync(HttpContext context, Func<HttpRequest, byte[], Reply> operation)
    {
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        await WriteAsync(context, operation(context.Request, body)).ConfigureAwait(false);
    }

    /// <summary>The <c>If-Match</c> check of updates and deletes: missing is <c>InvalidIfMatchVersion</c>, stale <c>PreconditionFailed</c>.</summary>
    public static void CheckIfMatch(HttpRequest request, string? current)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            throw InvalidIfMatch();
        }

        if (ifMatch != current)
        {
            throw PreconditionFailed();
        }
    }

    public static CloudFrontError InvalidIfMatch() => new("InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.");

    public static CloudFrontError PreconditionFailed() => new("PreconditionFailed", "The precondition given in one or more of the request-header fields evaluated to false.");

    /// <summary>The <c>Marker</c> and <c>MaxItems</c> query parameters (default 100).</summary>
    public static (string Marker, int MaxItems) Paging(HttpRequest request)
    {
        var marker = request.Query["Marker"].ToString();
        var raw = request.Query["MaxItems"].ToString();
        if (raw.Length == 0)
        {
            return (marker, 100);
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var maxItems) && maxItems > 0
            ? (marker, maxItems)
            : throw new CloudFrontError("InvalidArgument", $"MaxItems must be a positive integer, not '{raw}'.");
    }

    /// <summary>The absolute URL of a resource, for <c>Location</c>.</summary>
    public static string LocationOf(HttpRequest request, string resource) => $"{request.Scheme}://{request.Host}{Prefix}/{resource}";

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, Reply reply)
    {
        var response = context.Response;
        response.StatusCode = reply.Status;
        if (reply.ETag is { } etag)
        {
            response.Headers[reply.ETagHeader] = etag;
        }

        if (reply.Location is { } location)
        {
            response.Headers.Location = location;
        }

        if (reply.Xml is { } xml)
        {
            response.ContentType = "text/xml";
            await response.WriteAsync(Document(xml), Utf8, context.RequestAborted).ConfigureAwait(false);
        }
        else if (reply.Raw is { } raw)
        {
            response.ContentType = "application/octet-stream";
            response.ContentLength = raw.Length;
            await response.Body.WriteAsync(raw, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static XElement Normalise(XElement element)
    {
        if (element.Name.Namespace != Ns)
        {
            throw Malformed($"The element {element.Name.LocalName} is not in namespace {Ns.NamespaceName}.");
        }

        foreach (var attribute in element.Attributes())
        {
            if (!attribute.IsNamespaceDeclaration)
            {
                throw Malformed($"The element {element.Name.LocalName} has an unexpected attribute {attribute.Name.LocalName}.");
            }
        }

        var copy = new XElement(element.Name);
        var children = element.Elements().ToList();
        if (children.Count == 0)
        {
            copy.Value = element.Value;
            return copy;
        }

        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    copy.Add(Normalise(child));
                    break;
                case XText text when !string.IsNullOrWhiteSpace(text.Value):
                    throw Malformed($"The element {element.Name.LocalName} mixes text with elements.");
            }
        }

        return copy;
    }
}

/// <summary>A successful answer: status, XML body or raw bytes, <c>ETag</c>, <c>Location</c>.</summary>
internal sealed record Reply(int Status, XElement? Xml = null, string? ETag = null, string? Location = null, byte[]? Raw = null)
{
    /// <summary>
    /// The header the ETag goes in: <c>ETag</c>, except for UpdateFunction, whose model (botocore's
    /// <c>UpdateFunctionResult</c>) puts it in <c>ETtag</c> — the name every official AWS SDK reads.
    /// </summary>
    public string ETagHeader { get; init; } = "ETag";
}
