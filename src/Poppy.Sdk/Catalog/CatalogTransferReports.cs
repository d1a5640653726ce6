using System.Globalization;

namespace Poppy.Sdk;

/// <summary>The outcome of <see cref="CatalogTransfer.ExportAsync(IServiceCatalog, Stream, CatalogExportOptions?, CancellationToken)"/>.</summary>
/// <param name="ServiceCount">How many services were written.</param>
/// <param name="ExportedAt">The export time written into the document.</param>
public sealed record CatalogExportReport(int ServiceCount, DateTimeOffset ExportedAt)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ServiceCount} service{(ServiceCount == 1 ? "" : "s")} exported at {ExportedAt:O}");
}

/// <summary>A service an import or copy did not write, and why.</summary>
/// <param name="ServiceIndex">Its position in the document's <c>services</c> array (or in the source catalog's listing, for a copy), from 0.</param>
/// <param name="ServiceId">Its id, when the entry has one.</param>
/// <param name="Path">Where the problem is, as a JSON path into the document, for example <c>$.services[3].spec.origins[0].port</c>.</param>
/// <param name="Message">What is wrong, in words a person understands.</param>
public sealed record CatalogImportProblem(int ServiceIndex, string? ServiceId, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => ServiceId is null ? $"{Path}: {Message}" : $"{Path} (service '{ServiceId}'): {Message}";
}

/// <summary>The outcome of <see cref="CatalogTransfer.ImportAsync"/> or <see cref="CatalogTransfer.CopyAsync"/>.</summary>
/// <param name="Imported">Services the target did not hold, now written.</param>
/// <param name="Skipped">Services the target already held, left as they were (<see cref="CatalogConflictPolicy.Skip"/>).</param>
/// <param name="Overwritten">Services the target already held, replaced (<see cref="CatalogConflictPolicy.Overwrite"/>).</param>
/// <param name="Problems">Services not written because their entry is invalid (each problem of a service is listed).</param>
public sealed record CatalogImportReport(int Imported, int Skipped, int Overwritten, IReadOnlyList<CatalogImportProblem> Problems)
{
    /// <summary>Whether every service was written or deliberately skipped (no problem).</summary>
    public bool IsComplete => Problems.Count == 0;

    /// <summary>A readable summary, for example <c>10 imported, 2 skipped, 0 overwritten, 1 problem: $.services[4].spec.name: …</c>.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        var counts = string.Create(CultureInfo.InvariantCulture, $"{Imported} imported, {Skipped} skipped, {Overwritten} overwritten");
        return Problems.Count == 0
            ? counts + ", no problem"
            : string.Create(CultureInfo.InvariantCulture, $"{counts}, {Problems.Count} problem{(Problems.Count == 1 ? "" : "s")}: {string.Join("; ", Problems.Take(5))}{(Problems.Count > 5 ? "; …" : "")}");
    }
}
