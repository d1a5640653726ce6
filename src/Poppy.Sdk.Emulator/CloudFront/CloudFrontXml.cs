using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>An answer in CloudFront's <c>ErrorResponse</c> format.</summary>
/// <param name="code">The error code (<c>NoSuchDistribution</c>, …).</param>
/// <param name="message">The message.</param>
internal sealed class CloudFrontError(string code, string message) : Exception(message)
{
    /// <summary>The HTTP status of each error code the emulator sends (from the API model; 400 when not listed).</summary>
    private static readonly Dictionary<string, int> Statuses = new(StringComparer.Ordinal)
    {
        ["AccessDenied"] = 403,
        ["BatchTooLarge"] = 413,
        ["CNAMEAlreadyExists"] = 409,
        ["DistributionAlreadyExists"] = 409,
        ["DistributionNotDisabled"] = 409,
        ["FunctionAlreadyExists"] = 409,
        ["FunctionInUse"] = 409,
        ["FunctionSizeLimitExceeded"] = 413,
        ["IncompleteSignature"] = 403,
        ["InternalFailure"] = 500,
        ["InvalidClientTokenId"] = 403,
        ["InvalidTagging"] = 400,
        ["InvalidationBatchAlreadyExists"] = 409,
        ["MissingAuthenticationToken"] = 403,
        ["NoSuchDistribution"] = 404,
        ["NoSuchFunctionExists"] = 404,
        ["NoSuchInvalidation"] = 404,
        ["NoSuchOrigin"] = 404,
        ["NoSuchResource"] = 404,
        ["PreconditionFailed"] = 412,
        ["ServiceUnavailable"] = 503,
        ["SignatureDoesNotMatch"] = 403,
    };

    /// <summary>The error code.</summary>
    public string Code { get; } = code;

    /// <summary>The HTTP status.</summary>
    public int Status { get; init; } = Statuses.GetValueOrDefault(code, 400);
}

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
