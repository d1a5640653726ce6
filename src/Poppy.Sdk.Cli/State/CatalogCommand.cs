using System.Globalization;
using System.Text.Json;

namespace Poppy.Sdk.Cli.State;

/// <summary><c>poppy catalog list [--json] [--catalog VALUE]</c>: the services a catalog holds.</summary>
internal static class CatalogCommand
{
    private const string Usage = """
        Usage: poppy catalog list [--json] [--catalog VALUE]

        Lists the services in the catalog, ordered by id (read page by page): id, flavor, overall
        status, and per provider its name, status and vendor id.

          --catalog VALUE  A SQLite file or connection string ('Data Source=...'), or a PostgreSQL
                           connection string ('postgresql://...', 'postgres://...' or 'Host=...').
                           Default: $POPPY_CATALOG, else poppy/poppy.db in the user's local
                           application data folder (created when missing).
          --json           Print one JSON array: [{"id", "flavor", "status", "version",
                           "providers": [{"name", "status", "vendor_id"}]}].
          -h, --help       Show this help.

        Exit codes: 0 listed, 2 usage error or unreadable catalog.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args, ["--json"], ["--catalog"], out var error);
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
            return await UsageErrorAsync(stderr, "no subcommand given (expected 'list').").ConfigureAwait(false);
        }

        if (line.Arguments[0] != "list" || line.Arguments.Count > 1)
        {
            return await UsageErrorAsync(stderr, line.Arguments[0] != "list" ? $"unknown subcommand '{line.Arguments[0]}'." : $"unexpected argument '{line.Arguments[1]}'.").ConfigureAwait(false);
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

    private static Task<int> UsageErrorAsync(TextWriter stderr, string message) => CommandLine.UsageErrorAsync(stderr, "poppy catalog", message, Usage);
}
