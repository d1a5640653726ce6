using System.Globalization;
using System.Text;
using System.Xml;

namespace Poppy.Sdk.CloudFront.Internal.Xml;

/// <summary>
/// A minimal element tree read with <see cref="XmlReader"/> (no reflection, trim-safe). CloudFront's
/// REST-XML has no attributes and no mixed content, so an element is a name, its text and its children.
/// Reading into a tree first keeps the typed readers order-insensitive, and lets members this SDK does not
/// manage be written back unchanged.
/// </summary>
internal sealed class XmlTree
{
    /// <summary>The CloudFront API namespace of version 2020-05-31.</summary>
    public const string Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersInDocument = 16 * 1024 * 1024,
    };

    public XmlTree(string name, string? text = null, List<XmlTree>? children = null)
    {
        Name = name;
        Text = text;
        Children = children ?? [];
    }

    public string Name { get; }

    /// <summary>The element's text; null for an element with children or an empty element.</summary>
    public string? Text { get; }

    public List<XmlTree> Children { get; }

    /// <summary>Parses a document and returns its root element.</summary>
    /// <exception cref="XmlException">The text is not well-formed XML.</exception>
    public static XmlTree Parse(string xml)
    {
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, ReaderSettings);
        reader.MoveToContent();
        return Read(reader);
    }

    private static XmlTree Read(XmlReader reader)
    {
        var name = reader.LocalName;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return new XmlTree(name);
        }

        reader.Read();
        StringBuilder? text = null;
        List<XmlTree>? children = null;
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    (children ??= []).Add(Read(reader));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    (text ??= new StringBuilder()).Append(reader.Value);
                    reader.Read();
                    break;
                case XmlNodeType.None:
                    throw new XmlException("Unexpected end of document.");
                default:
                    reader.Read();
                    break;
            }
        }

        reader.Read();
        return new XmlTree(name, children is null ? text?.ToString() : null, children);
    }

    /// <summary>The first child of that name, or null.</summary>
    public XmlTree? Child(string name)
    {
        foreach (var child in Children)
        {
            if (child.Name == name)
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>The text of the first child of that name (empty string for an empty element), or null when absent.</summary>
    public string? Value(string name) => Child(name) is { } child ? child.Text ?? "" : null;

    public string Required(string name) =>
        Value(name) ?? throw new XmlException($"<{Name}> has no <{name}>.");

    public bool? Bool(string name) => Value(name) is { } v ? v.Trim() == "true" : null;

    public long? Long(string name) =>
        Value(name) is { } v && long.TryParse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public int? Int(string name) =>
        Value(name) is { } v && int.TryParse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public DateTimeOffset? Time(string name) =>
        Value(name) is { } v && DateTimeOffset.TryParse(v.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>The items of a CloudFront list wrapper <c>&lt;name&gt;&lt;Quantity/&gt;&lt;Items&gt;…&lt;/Items&gt;&lt;/name&gt;</c>.</summary>
    public IEnumerable<XmlTree> Items(string name) => Child(name)?.Child("Items")?.Children ?? [];

    /// <summary>The texts of a list wrapper's items.</summary>
    public List<string> ItemTexts(string name) => Items(name).Select(i => i.Text ?? "").ToList();

    /// <summary>Writes this element and its subtree.</summary>
    public void WriteTo(XmlWriter writer)
    {
        writer.WriteStartElement(Name, Namespace);
        if (Children.Count > 0)
        {
            foreach (var child in Children)
            {
                child.WriteTo(writer);
            }
        }
        else if (Text is not null)
        {
            writer.WriteString(Text);
        }

        writer.WriteEndElement();
    }
}
