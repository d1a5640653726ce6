using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Catalog;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk;

/// <summary>
/// Moves a catalog between stores: exports any <see cref="IServiceCatalog"/> as one JSON document (each service's Poppy
/// v1 document plus its provider details), imports such a document into any store, or copies store to store. Both
/// directions stream: a catalog of any size is written and read one service at a time.
/// </summary>
/// <remarks>
/// The document:
/// <code>
/// { "format": "poppy-catalog", "format_version": 1, "exported_at": "2026-12-07T08:00:00+00:00",
///   "services": [ { "service_id": "…", "version": 3, "spec": { Poppy v1 service document },
///                   "providers": [ { provider details as the catalog stores them } ], "pending_cleanup": [ "akamai" ] } ],
///   "service_count": 1 }
/// </code>
/// It holds no credential: specs and provider details never carry one, and provider error messages are scrubbed of
/// signing details again on export (<see cref="SecretScrubber.WithoutSecrets"/>). <c>version</c> is the source's
/// catalog version, for information: an imported service gets the target's next version.
/// </remarks>
public static class CatalogTransfer
{
    // Flushed to the destination whenever this much is buffered: the export holds one service and this much at most.
    private const int FlushThresholdBytes = 64 * 1024;

    /// <summary>Writes every service of <paramref name="source"/> to <paramref name="destination"/> as one catalog export document.</summary>
    /// <param name="source">The catalog to export (listed once, in id order).</param>
    /// <param name="destination">Where the UTF-8 JSON goes; written progressively, left open.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>How many services were written, and the export time.</returns>
    public static Task<CatalogExportReport> ExportAsync(IServiceCatalog source, Stream destination, CancellationToken cancellationToken = default) =>
        ExportAsync(source, destination, options: null, cancellationToken);

    /// <summary>Writes every service of <paramref name="source"/> to <paramref name="destination"/> as one catalog export document.</summary>
    /// <param name="source">The catalog to export (listed once, in id order).</param>
    /// <param name="destination">Where the UTF-8 JSON goes; written progressively, left open.</param>
    /// <param name="options">The clock and layout; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>How many services were written, and the export time.</returns>
    public static async Task<CatalogExportReport> ExportAsync(IServiceCatalog source, Stream destination, CatalogExportOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new CatalogExportOptions();
        var exportedAt = (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        // The JSON goes to a buffer that is written to the destination asynchronously whenever it holds 64 KiB (the
        // serializer flushes the writer after each value: into this buffer, never synchronously into the stream).
        var buffer = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = options.Indented });
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString(CatalogDocument.Format, CatalogDocument.FormatMarker);
            writer.WriteNumber(CatalogDocument.FormatVersion, CatalogDocument.Version);
            writer.WriteString(CatalogDocument.ExportedAt, exportedAt);
            writer.WriteStartArray(CatalogDocument.Services);
            var count = 0;
            await foreach (var service in source.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                WriteService(writer, service);
                count++;
                writer.Flush();
                if (buffer.WrittenCount >= FlushThresholdBytes)
                {
                    await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    buffer.ResetWrittenCount();
                }
            }

            writer.WriteEndArray();
            writer.WriteNumber(CatalogDocument.ServiceCount, count);
            writer.WriteEndObject();
            writer.Flush();
            await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new CatalogExportReport(count, exportedAt);
        }
    }

    /// <summary>
    /// Reads a catalog export document from <paramref name="source"/> and writes each service into
    /// <paramref name="target"/>, one at a time as it is read. Each spec is checked with
    /// <see cref="ServiceSpecValidator"/>; an entry that is invalid is reported in <see cref="CatalogImportReport.Problems"/>
    /// and not written. A service the target already holds is handled by <see cref="CatalogImportOptions.ConflictPolicy"/>.
    /// </summary>
    /// <param name="target">The catalog to write into.</param>
    /// <param name="source">UTF-8 JSON written by <see cref="ExportAsync(IServiceCatalog, Stream, CatalogExportOptions?, CancellationToken)"/>; read progressively, left open.</param>
    /// <param name="options">The conflict policy and the entry size limit; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the import (services written so far stay written).</param>
    /// <returns>How many services were imported, skipped and overwritten, and each entry that was not written and why.</returns>
    /// <exception cref="CatalogTransferException">
    /// The document is not a catalog export this SDK reads (format marker, version, malformed or truncated JSON; the
    /// message names the JSON path), or a service exists under <see cref="CatalogConflictPolicy.Fail"/>.
    /// </exception>
    public static async Task<CatalogImportReport> ImportAsync(IServiceCatalog target, Stream source, CatalogImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        options = Checked(options);
        var tally = new Tally(target, options.ConflictPolicy);
        using var reader = new CatalogDocumentReader(source, options.MaxEntryBytes);
        try
        {
            await foreach (var entry in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await tally.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CatalogTransferException ex)
        {
            ex.PartialReport ??= tally.Report();
            throw;
        }

        return tally.Report();
    }

    /// <summary>
    /// Copies every service of <paramref name="source"/> into <paramref name="target"/> directly, with the same checks
    /// and conflict policy as <see cref="ImportAsync"/> (a problem's path names the service's position in the listing).
    /// </summary>
    /// <param name="source">The catalog to read (listed once, in id order).</param>
    /// <param name="target">The catalog to write into; not the same instance as <paramref name="source"/>.</param>
    /// <param name="options">The conflict policy; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the copy (services written so far stay written).</param>
    /// <returns>How many services were imported, skipped and overwritten, and each service that was not written and why.</returns>
    /// <exception cref="CatalogTransferException">A service exists under <see cref="CatalogConflictPolicy.Fail"/>.</exception>
    public static async Task<CatalogImportReport> CopyAsync(IServiceCatalog source, IServiceCatalog target, CatalogImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (ReferenceEquals(source, target))
        {
            throw new ArgumentException("The source and the target are the same catalog.", nameof(target));
        }

        options = Checked(options);
        var tally = new Tally(target, options.ConflictPolicy);
        var index = 0;
        try
        {
            await foreach (var service in source.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                await tally.WriteAsync(new CatalogEntry(index++, service.ServiceId, service, []), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CatalogTransferException ex)
        {
            ex.PartialReport ??= tally.Report();
            throw;
        }

        return tally.Report();
    }

    private static CatalogImportOptions Checked(CatalogImportOptions? options)
    {
        options ??= new CatalogImportOptions();
        if (!Enum.IsDefined(options.ConflictPolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ConflictPolicy, "CatalogImportOptions.ConflictPolicy is not Skip, Overwrite or Fail.");
        }

        if (options.MaxEntryBytes < CatalogImportOptions.MinimumEntryBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEntryBytes, string.Create(CultureInfo.InvariantCulture, $"CatalogImportOptions.MaxEntryBytes must be at least {CatalogImportOptions.MinimumEntryBytes}."));
        }

        return options;
    }

    private static void WriteService(Utf8JsonWriter writer, CdnService service)
    {
        writer.WriteStartObject();
        writer.WriteString(CatalogDocument.ServiceId, service.ServiceId);
        writer.WriteNumber(CatalogDocument.ServiceVersion, service.Version);
        writer.WritePropertyName(CatalogDocument.Spec);
        JsonSerializer.Serialize(writer, service.Spec, PoppyJsonContext.Default.ServiceSpec);
        writer.WriteStartArray(CatalogDocument.Providers);
        foreach (var details in service.Providers)
        {
            var safe = details.Error is { } error ? details with { Error = error with { Message = SecretScrubber.WithoutSecrets.Scrub(error.Message) } } : details;
            JsonSerializer.Serialize(writer, safe, PoppyJsonContext.Default.ProviderServiceDetails);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(CatalogDocument.PendingCleanup);
        foreach (var provider in service.PendingCleanup)
        {
            writer.WriteStringValue(provider);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes entries into the target under the conflict policy and counts the outcomes.</summary>
    private sealed class Tally(IServiceCatalog target, CatalogConflictPolicy policy)
    {
        private readonly CatalogWriter _writer = new(target, NullLogger.Instance);
        private readonly List<CatalogImportProblem> _problems = [];
        private int _imported;
        private int _skipped;
        private int _overwritten;

        public CatalogImportReport Report() => new(_imported, _skipped, _overwritten, _problems.ToList());

        public async Task WriteAsync(CatalogEntry entry, CancellationToken cancellationToken)
        {
            if (entry.Service is not { } service)
            {
                _problems.AddRange(entry.Problems);
                return;
            }

            var validation = ServiceSpecValidator.Validate(service.Spec, ValidationMode.Update);
            if (!validation.IsValid)
            {
                var specPath = CatalogDocumentReader.ServicePath(entry.Index) + "." + CatalogDocument.Spec;
                _problems.AddRange(validation.Problems.Select(p => new CatalogImportProblem(entry.Index, service.ServiceId, specPath + FromPointer(p.Path), p.Message)));
                return;
            }

            var outcome = Outcome.Imported;
            await _writer.UpdateAsync(
                service.ServiceId,
                existing =>
                {
                    // May run more than once (a concurrent writer): the last run decides the outcome.
                    if (existing is null)
                    {
                        outcome = Outcome.Imported;
                        return service with { Version = 0 };
                    }

                    switch (policy)
                    {
                        case CatalogConflictPolicy.Overwrite:
                            outcome = Outcome.Overwritten;
                            return service with { Version = existing.Version };
                        case CatalogConflictPolicy.Fail:
                            throw new CatalogTransferException(
                                string.Create(CultureInfo.InvariantCulture, $"{CatalogDocumentReader.ServicePath(entry.Index)}: service '{service.ServiceId}' already exists in the target catalog (version {existing.Version}) and the conflict policy is Fail; the services before it were written."),
                                CatalogDocumentReader.ServicePath(entry.Index),
                                entry.Index,
                                partialReport: null,
                                new CatalogConflictException(service.ServiceId, 0, existing.Version)) { ServiceId = service.ServiceId };
                        default:
                            outcome = Outcome.Skipped;
                            return existing;
                    }
                },
                cancellationToken).ConfigureAwait(false);

            switch (outcome)
            {
                case Outcome.Imported:
                    _imported++;
                    break;
                case Outcome.Overwritten:
                    _overwritten++;
                    break;
                default:
                    _skipped++;
                    break;
            }
        }

        /// <summary>Turns a validation path (<c>/origins/1/port</c>) into JSON path steps (<c>.origins[1].port</c>).</summary>
        private static string FromPointer(string pointer)
        {
            var steps = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return string.Concat(steps.Select(s => s.All(char.IsAsciiDigit) ? $"[{s}]" : "." + s));
        }

        private enum Outcome
        {
            Imported,
            Skipped,
            Overwritten,
        }
    }
}
