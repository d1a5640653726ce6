using System.Globalization;
using Poppy.Sdk.PostgreSql;

namespace Poppy.Sdk.Cli.State;

/// <summary><c>poppy catalog export</c> and <c>poppy catalog import</c>: a catalog to and from a catalog export document.</summary>
internal static class CatalogTransferCommands
{
    private const string StandardInput = "<stdin>";

    /// <summary><c>poppy catalog export [FILE|-] [--catalog VALUE]</c> (arguments already checked).</summary>
    public static async Task<int> ExportAsync(CommandLine line, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var file = line.Arguments.Count > 1 ? line.Arguments[1] : "-";
        string? target = null;
        if (file != "-")
        {
            try
            {
                target = Path.GetFullPath(file);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                return await CatalogCommand.UsageErrorAsync(stderr, $"'{file}' is not a usable file name: {ex.Message}").ConfigureAwait(false);
            }
        }

        await using var store = StateStore.Open(line.Value("--catalog"), environment, out var error);
        if (store is null)
        {
            return await CatalogCommand.UsageErrorAsync(stderr, error!).ConfigureAwait(false);
        }

        if (target is null)
        {
            CatalogExportReport exported;
            try
            {
                await using var output = new TextWriterStream(stdout);
                exported = await CatalogTransfer.ExportAsync(store.Catalog, output, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StateErrors.IsStoreFailure(ex))
            {
                await stderr.WriteLineAsync($"poppy catalog export: cannot read the catalog ({store.Description}): {OneLine(ex.Message)} The document on standard output is incomplete.").ConfigureAwait(false);
                return PoppyCli.UsageOrInputError;
            }

            // Ends the line on a terminal (JSON allows whitespace after the document; an import reads it).
            await stdout.WriteLineAsync().ConfigureAwait(false);
            await stderr.WriteLineAsync($"{Services(exported.ServiceCount)} exported to standard output.").ConfigureAwait(false);
            return PoppyCli.Ok;
        }

        // Written next to the target (same file system, so the rename is atomic) and renamed into place only when the
        // whole document is on disk: a failed export never leaves a truncated file or replaces an existing one.
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var exists = File.Exists(target);
        var renamed = false;
        try
        {
            CatalogExportReport exported;
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                exported = await CatalogTransfer.ExportAsync(store.Catalog, stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
            renamed = true;
            await stdout.WriteLineAsync($"{Services(exported.ServiceCount)} exported to {file}.").ConfigureAwait(false);
            return PoppyCli.Ok;
        }
        catch (Exception ex) when (StateErrors.IsStoreFailure(ex))
        {
            var kept = exists ? $"{file} is left as it was." : $"{file} was not created.";
            await stderr.WriteLineAsync($"poppy catalog export: cannot export the {store.Description} to {file}: {OneLine(ex.Message)} {kept}").ConfigureAwait(false);
            return PoppyCli.UsageOrInputError;
        }
        finally
        {
            if (!renamed)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary><c>poppy catalog import FILE|- [--on-conflict POLICY] [--migrate] [--json] [--catalog VALUE]</c> (arguments already checked).</summary>
    public static async Task<int> ImportAsync(CommandLine line, TextWriter stdout, TextWriter stderr, TextReader stdin, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (line.Arguments.Count < 2)
        {
            return await CatalogCommand.UsageErrorAsync(stderr, "import needs the FILE to read ('-' for standard input).").ConfigureAwait(false);
        }

        CatalogConflictPolicy policy;
        switch (line.Value("--on-conflict")?.ToLowerInvariant())
        {
            case null or "skip":
                policy = CatalogConflictPolicy.Skip;
                break;
            case "overwrite":
                policy = CatalogConflictPolicy.Overwrite;
                break;
            case "fail":
                policy = CatalogConflictPolicy.Fail;
                break;
            default:
                return await CatalogCommand.UsageErrorAsync(stderr, $"--on-conflict must be skip, overwrite or fail (got '{line.Value("--on-conflict")}').").ConfigureAwait(false);
        }

        var file = line.Arguments[1];
        var sourceName = file == "-" ? StandardInput : file;
        var migrate = line.Has("--migrate");
        var json = line.Has("--json");

        // The document is opened before the catalog: a file that cannot be read leaves the catalog untouched (a SQLite
        // catalog would otherwise be created).
        Stream source;
        try
        {
            source = file == "-"
                ? new TextReaderStream(stdin)
                : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : OneLine(ex.Message);
            await stderr.WriteLineAsync($"poppy catalog import: cannot read {file}: {reason}").ConfigureAwait(false);
            return PoppyCli.UsageOrInputError;
        }

        await using (source.ConfigureAwait(false))
        {
            await using var store = StateStore.Open(line.Value("--catalog"), environment, out var error, migrate);
            if (store is null)
            {
                return await CatalogCommand.UsageErrorAsync(stderr, error!).ConfigureAwait(false);
            }

            if (store.PostgreSqlCatalog is { } postgreSql && !migrate)
            {
                int version;
                try
                {
                    version = await postgreSql.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (StateErrors.IsStoreFailure(ex))
                {
                    await stderr.WriteLineAsync($"poppy catalog import: cannot read the catalog ({store.Description}): {OneLine(ex.Message)}").ConfigureAwait(false);
                    return PoppyCli.UsageOrInputError;
                }

                if (version < PostgreSqlServiceCatalog.LatestSchemaVersion)
                {
                    await stderr.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"poppy catalog import: the {store.Description} has Poppy schema version {version}, and this tool needs {PostgreSqlServiceCatalog.LatestSchemaVersion}: pass --migrate to let the import {(version == 0 ? "create" : "upgrade")} it, or apply 'poppy db script --store postgresql --from-version {version}' first. Nothing was imported.")).ConfigureAwait(false);
                    return PoppyCli.UsageOrInputError;
                }
            }

            var target = new CountingCatalog(store.Catalog);
            CatalogImportReport report;
            try
            {
                report = await CatalogTransfer.ImportAsync(target, source, new CatalogImportOptions { ConflictPolicy = policy }, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogTransferException ex)
            {
                var conflict = ex.InnerException is CatalogConflictException;
                await stderr.WriteLineAsync($"poppy catalog import: {sourceName}: {OneLine(ex.Message)}").ConfigureAwait(false);
                await WriteReportAsync(stdout, ex.PartialReport ?? new CatalogImportReport(0, 0, 0, []), store.Description, sourceName, ex, json).ConfigureAwait(false);
                return conflict ? PoppyCli.Invalid : PoppyCli.UsageOrInputError;
            }
            catch (IOException ex)
            {
                // The stores report their own failures as database exceptions: a bare I/O error is the document's.
                await stderr.WriteLineAsync($"poppy catalog import: cannot read {sourceName}: {OneLine(ex.Message)} {Written(target.Saved)}").ConfigureAwait(false);
                return PoppyCli.UsageOrInputError;
            }
            catch (Exception ex) when (StateErrors.IsStoreFailure(ex))
            {
                await stderr.WriteLineAsync($"poppy catalog import: cannot write to the catalog ({store.Description}): {OneLine(ex.Message)} {Written(target.Saved)}").ConfigureAwait(false);
                return PoppyCli.UsageOrInputError;
            }

            await WriteReportAsync(stdout, report, store.Description, sourceName, stopped: null, json).ConfigureAwait(false);
            return report.IsComplete ? PoppyCli.Ok : PoppyCli.Invalid;
        }
    }

    /// <summary>
    /// The report: <c>Into the CATALOG: 2 imported, 1 skipped, 0 overwritten, 1 problem:</c> and one indented line per
    /// problem (<c>PATH (service 'ID'): MESSAGE</c>); or, with <paramref name="json"/>, one JSON object.
    /// </summary>
    private static async Task WriteReportAsync(TextWriter stdout, CatalogImportReport report, string catalog, string source, CatalogTransferException? stopped, bool json)
    {
        if (json)
        {
            await stdout.WriteLineAsync(ToJson(report, catalog, source, stopped)).ConfigureAwait(false);
            return;
        }

        var problems = report.Problems.Count switch
        {
            0 => "no problems.",
            1 => "1 problem:",
            var n => string.Create(CultureInfo.InvariantCulture, $"{n} problems:"),
        };
        await stdout.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Into the {catalog}{(stopped is null ? "" : ", before the stop")}: {report.Imported} imported, {report.Skipped} skipped, {report.Overwritten} overwritten, {problems}")).ConfigureAwait(false);
        foreach (var problem in report.Problems)
        {
            await stdout.WriteLineAsync("  " + OneLine(problem.ToString())).ConfigureAwait(false);
        }
    }

    private static string ToJson(CatalogImportReport report, string catalog, string source, CatalogTransferException? stopped) => StateFormat.Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("source", source);
        writer.WriteString("catalog", catalog);
        writer.WriteNumber("imported", report.Imported);
        writer.WriteNumber("skipped", report.Skipped);
        writer.WriteNumber("overwritten", report.Overwritten);
        writer.WriteBoolean("complete", stopped is null && report.IsComplete);
        writer.WriteStartArray("problems");
        foreach (var problem in report.Problems)
        {
            writer.WriteStartObject();
            writer.WriteNumber("service_index", problem.ServiceIndex);
            writer.WriteString("service_id", problem.ServiceId);
            writer.WriteString("path", problem.Path);
            writer.WriteString("message", problem.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (stopped is null)
        {
            writer.WriteNull("stopped");
        }
        else
        {
            writer.WriteStartObject("stopped");
            writer.WriteString("path", stopped.Path);
            StateFormat.NumberOrNull(writer, "service_index", stopped.ServiceIndex);

            writer.WriteString("service_id", stopped.ServiceId);
            writer.WriteBoolean("conflict", stopped.InnerException is CatalogConflictException);
            writer.WriteString("message", stopped.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    });

    private static string Services(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} service{(count == 1 ? "" : "s")}");

    private static string Written(int saved) => saved == 0
        ? "Nothing was imported."
        : $"{Services(saved)} {(saved == 1 ? "was" : "were")} written before the failure; run the import again (--on-conflict skip) to finish.";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is named after the target and never mistaken for it.
        }
    }

    /// <summary>The import's target, counting the services it stores (to say what was written before a store failure).</summary>
    private sealed class CountingCatalog(IServiceCatalog inner) : IServiceCatalog
    {
        public int Saved { get; private set; }

        public ValueTask<CdnService?> GetAsync(string serviceId, CancellationToken cancellationToken = default) => inner.GetAsync(serviceId, cancellationToken);

        public async ValueTask<CdnService> SaveAsync(CdnService service, CancellationToken cancellationToken = default)
        {
            var saved = await inner.SaveAsync(service, cancellationToken).ConfigureAwait(false);
            Saved++;
            return saved;
        }

        public ValueTask<bool> DeleteAsync(string serviceId, long expectedVersion, CancellationToken cancellationToken = default) => inner.DeleteAsync(serviceId, expectedVersion, cancellationToken);

        public IAsyncEnumerable<CdnService> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
