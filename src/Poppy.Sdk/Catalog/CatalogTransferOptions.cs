namespace Poppy.Sdk;

/// <summary>What an import or copy does with a service the target catalog already holds.</summary>
public enum CatalogConflictPolicy
{
    /// <summary>Keep the target's entry and count the service as skipped (the default: an import never destroys what is there).</summary>
    Skip = 0,

    /// <summary>Replace the target's entry with the imported content, written at the target's current version (so a concurrent writer is not lost: the write is retried on a conflict).</summary>
    Overwrite = 1,

    /// <summary>Stop with a <see cref="CatalogTransferException"/> at the first service that exists; the services before it stay written.</summary>
    Fail = 2,
}

/// <summary>Options of <see cref="CatalogTransfer.ExportAsync(IServiceCatalog, Stream, CatalogExportOptions?, CancellationToken)"/>.</summary>
public sealed class CatalogExportOptions
{
    /// <summary>Where the export time written into the document comes from; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Whether to indent the document for people (larger); false writes compact JSON.</summary>
    public bool Indented { get; set; }
}

/// <summary>Options of <see cref="CatalogTransfer.ImportAsync"/> and <see cref="CatalogTransfer.CopyAsync"/>.</summary>
public sealed class CatalogImportOptions
{
    /// <summary>The smallest value of <see cref="MaxEntryBytes"/>: 64 KiB.</summary>
    public const int MinimumEntryBytes = 64 * 1024;

    /// <summary>What to do with a service the target already holds; <see cref="CatalogConflictPolicy.Skip"/> by default.</summary>
    public CatalogConflictPolicy ConflictPolicy { get; set; } = CatalogConflictPolicy.Skip;

    /// <summary>
    /// The largest single service entry an import reads (16 MiB by default): the reader holds one entry at a time, so
    /// this bounds its memory whatever the document holds. A larger entry stops the import with a
    /// <see cref="CatalogTransferException"/>.
    /// </summary>
    public int MaxEntryBytes { get; set; } = 16 * 1024 * 1024;
}
