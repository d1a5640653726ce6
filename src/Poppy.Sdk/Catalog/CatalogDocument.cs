namespace Poppy.Sdk.Catalog;

/// <summary>The names of the catalog export document (see docs/state.md, "Moving between stores").</summary>
internal static class CatalogDocument
{
    public const string FormatMarker = "poppy-catalog";
    public const int Version = 1;

    public const string Format = "format";
    public const string FormatVersion = "format_version";
    public const string ExportedAt = "exported_at";
    public const string Services = "services";
    public const string ServiceCount = "service_count";

    public const string ServiceId = "service_id";
    public const string ServiceVersion = "version";
    public const string Spec = "spec";
    public const string Providers = "providers";
    public const string PendingCleanup = "pending_cleanup";
}

/// <summary>One service entry read from a document (or listed from a source catalog): the service, or why it cannot be written.</summary>
/// <param name="Index">Its position in the <c>services</c> array, from 0.</param>
/// <param name="ServiceId">Its id, when it has one.</param>
/// <param name="Service">The service as read (its version is the source's), or null when <paramref name="Problems"/> is not empty.</param>
/// <param name="Problems">What is wrong with the entry.</param>
internal sealed record CatalogEntry(int Index, string? ServiceId, CdnService? Service, IReadOnlyList<CatalogImportProblem> Problems);
