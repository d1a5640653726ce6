using System.Globalization;
using System.Text.Json;

namespace Poppy.Sdk.Cli.State;

/// <summary>
/// <c>poppy catalog list|export|import</c>: the services a catalog holds, and moving them to and from a catalog export
/// document (<see cref="CatalogTransfer"/>).
/// </summary>
internal static class CatalogCommand
{
    internal const string Usage = """
        Usage: poppy catalog list [--json] [--catalog VALUE]
               poppy catalog export [FILE|-] [--catalog VALUE]
               poppy catalog import FILE|- [--on-conflict skip|overwrite|fail] [--migrate] [--json] [--catalog VALUE]

        list     Lists the services in the catalog, ordered by id (read page by page): id, flavor, overall
                 status, and per provider its name, status and vendor id.
        export   Writes the whole catalog as one catalog export document (JSON: each service's spec and
                 provider details). FILE is written to a temporary file in its folder and renamed into
                 place only when the export succeeded; '-' or no FILE writes to standard output. The
                 summary ('N services exported to FILE.') goes to standard output, or to standard error
                 when the document does.
        import   Reads a catalog export document ('-': standard input) into the catalog, one service at
                 a time, and prints what was imported, skipped and overwritten, and each entry that was
                 not written (its service id, the JSON path and why).

          --catalog VALUE      A SQLite file or connection string ('Data Source=...'), or a PostgreSQL
                               connection string ('postgresql://...', 'postgres://...' or 'Host=...').
                               Default: $POPPY_CATALOG, else poppy/poppy.db in the user's local
                               application data folder (created when missing).
          --json               list: print one JSON array: [{"id", "flavor", "status", "version",
                               "providers": [{"name", "status", "vendor_id"}]}].
                               import: print the report as one JSON object.
          --on-conflict POLICY import: what to do with a service the catalog already holds: skip (the
                               default; keep it), overwrite (replace it), fail (stop there; the
                               services before it stay written).
          --migrate            import: let the import create or upgrade a PostgreSQL catalog's schema
                               (without it, a database without the current schema is refused; a
                               SQLite file is always created and upgraded on first use).
          -h, --help           Show this help.

        Exit codes: 0 listed, exported, or every service imported or skipped; 1 some entries were not
        imported (invalid), or a service exists under --on-conflict fail; 2 usage error, unreadable
        or unwritable file, a document that is not a catalog export or is malformed or truncated
        (what was imported before the stop is reported), or an unreadable catalog.
        """;

    private static readonly string[] Flags = ["--json", "--migrate"];
    private static readonly string[] Valued = ["--catalog", "--on-conflict"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args, Flags, Valued, out var error);
        if (line is null)
        {
            return await UsageErrorAsync(stderr, error!).ConfigureAwait(false);
        }

        if (line.Help)
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return PoppyCli.Ok;
        }

        if (line.Arguments.Count == 0)
        {
            return await UsageErrorAsync(stderr, "no subcommand given (expected 'list', 'export' or 'import').").ConfigureAwait(false);
        }

        var subcommand = line.Arguments[0];
        string[]? allowed = subcommand switch
        {
            "list" => ["--json", "--catalog"],
            "export" => ["--catalog"],
            "import" => ["--json", "--catalog", "--on-conflict", "--migrate"],
            _ => null,
        };
        if (allowed is null)
        {
            return await UsageErrorAsync(stderr, $"unknown subcommand '{subcommand}'.").ConfigureAwait(false);
        }

        if (Flags.Concat(Valued).FirstOrDefault(o => !allowed.Contains(o) && (line.Has(o) || line.Value(o) is not null)) is { } refused)
        {
            return await UsageErrorAsync(stderr, $"option '{refused}' does not apply to '{subcommand}'.").ConfigureAwait(false);
        }

        var maxArguments = subcommand == "list" ? 1 : 2;
        if (line.Arguments.Count > maxArguments)
        {
            return await UsageErrorAsync(stderr, $"unexpected argument '{line.Arguments[maxArguments]}'.").ConfigureAwait(false);
        }

        switch (subcommand)
        {
            case "export":
                return await CatalogTransferCommands.ExportAsync(line, stdout, stderr, environment, cancellationToken).ConfigureAwait(false);
            case "import":
                return await CatalogTransferCommands.ImportAsync(line, stdout, stderr, stdin, environment, cancellationToken).ConfigureAwait(false);
        }

        await using var store = StateStore.Open(line.Value("--catalog"), environment, out error);
        if (store is null)
        {
            return await UsageErrorAsync(stderr, error!).ConfigureAwait(false);
        }

        var json = line.Has("--json");
        var services = new List<CdnService>();
        var count = 0;
        try
        {
            await foreach (var service in store.Catalog.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                count++;
                if (json)
                {
                    services.Add(service);
                }
                else
                {
                    await stdout.WriteLineAsync(Describe(service)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (StateErrors.IsStoreFailure(ex))
        {
            await stderr.WriteLineAsync($"poppy catalog list: cannot read the catalog ({store.Description}): {ex.Message}").ConfigureAwait(false);
            return PoppyCli.UsageOrInputError;
        }

        await stdout.WriteLineAsync(json
            ? ToJson(services)
            : string.Create(CultureInfo.InvariantCulture, $"{count} service{(count == 1 ? "" : "s")} in the {store.Description}.")).ConfigureAwait(false);
        return PoppyCli.Ok;
    }

    /// <summary>One line: <c>id  flavor  status  name=status vendor-id, …</c>.</summary>
    internal static string Describe(CdnService service)
    {
        var providers = service.Providers.Count == 0
            ? "(no providers)"
            : string.Join(", ", service.Providers.Select(p => $"{p.Provider}={StateFormat.Status(p.Status)}{(p.VendorServiceId is { } id ? " " + id : "")}"));
        return $"{service.ServiceId}  {service.Spec.FlavorId}  {StateFormat.Status(service.Status)}  {providers}";
    }

    private static string ToJson(List<CdnService> services) => StateFormat.Json(writer =>
    {
        writer.WriteStartArray();
        foreach (var service in services)
        {
            writer.WriteStartObject();
            writer.WriteString("id", service.ServiceId);
            writer.WriteString("flavor", service.Spec.FlavorId);
            writer.WriteString("status", StateFormat.Status(service.Status));
            writer.WriteNumber("version", service.Version);
            writer.WriteStartArray("providers");
            foreach (var provider in service.Providers)
            {
                writer.WriteStartObject();
                writer.WriteString("name", provider.Provider);
                writer.WriteString("status", StateFormat.Status(provider.Status));
                writer.WriteString("vendor_id", provider.VendorServiceId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    internal static Task<int> UsageErrorAsync(TextWriter stderr, string message) => CommandLine.UsageErrorAsync(stderr, "poppy catalog", message, Usage);
}
