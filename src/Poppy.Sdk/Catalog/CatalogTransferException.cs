namespace Poppy.Sdk;

/// <summary>
/// An import or copy stopped: the document is not a Poppy catalog export this SDK reads (wrong format marker or version,
/// truncated or malformed JSON, an entry too large), or a service exists under <see cref="CatalogConflictPolicy.Fail"/>.
/// Services written before the stop stay written; <see cref="PartialReport"/> says which.
/// </summary>
public class CatalogTransferException : CdnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming where.</param>
    /// <param name="path">Where in the document, as a JSON path (for example <c>$.format_version</c>), when known.</param>
    /// <param name="serviceIndex">The position of the service entry in the <c>services</c> array, when the problem is in one.</param>
    /// <param name="partialReport">What was written before the stop.</param>
    /// <param name="innerException">The cause.</param>
    public CatalogTransferException(string message, string? path, int? serviceIndex, CatalogImportReport? partialReport, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
        ServiceIndex = serviceIndex;
        PartialReport = partialReport;
    }

    /// <summary>Where in the document, as a JSON path, when known.</summary>
    public string? Path { get; }

    /// <summary>The position of the service entry in the <c>services</c> array, when the problem is in one.</summary>
    public int? ServiceIndex { get; }

    /// <summary>What was written before the stop (null when nothing had been read yet).</summary>
    public CatalogImportReport? PartialReport { get; internal set; }
}
