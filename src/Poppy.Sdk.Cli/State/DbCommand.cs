using System.Globalization;
using Poppy.Sdk.PostgreSql;

namespace Poppy.Sdk.Cli.State;

/// <summary><c>poppy db script --store postgresql [--from-version N]</c>: the schema SQL, for DBAs who apply it themselves.</summary>
internal static class DbCommand
{
    private const string Usage = """
        Usage: poppy db script --store postgresql [--from-version N]

        Prints the SQL that creates the PostgreSQL store's schema, or upgrades it from
        version N (read it with 'SELECT max(version) FROM poppy_schema_version'; 0 for an empty
        database): one transaction, behind the advisory lock the library takes. Apply it, then
        turn the store's own migrations off (ApplyMigrations = false). SQLite needs no script: it
        creates and upgrades its schema itself on first use.

          --store S           postgresql (sqlite migrates itself).
          --from-version N    The version the database is at (default 0).
          -h, --help          Show this help.

        Exit codes: 0 printed, 2 usage error.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse(args, [], ["--store", "--from-version"], out var error);
        if (line is null)
        {
            return await UsageErrorAsync(stderr, error!).ConfigureAwait(false);
        }

        if (line.Help)
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return PoppyCli.Ok;
        }

        if (line.Arguments.Count == 0 || line.Arguments[0] != "script" || line.Arguments.Count > 1)
        {
            return await UsageErrorAsync(stderr, line.Arguments.Count == 0 ? "no subcommand given (expected 'script')."
                : line.Arguments[0] != "script" ? $"unknown subcommand '{line.Arguments[0]}'."
                : $"unexpected argument '{line.Arguments[1]}'.").ConfigureAwait(false);
        }

        switch (line.Value("--store")?.ToLowerInvariant())
        {
            case null:
                return await UsageErrorAsync(stderr, "--store is required (postgresql).").ConfigureAwait(false);
            case "sqlite":
                await stderr.WriteLineAsync("poppy db script: SQLite needs no script: the SQLite catalog creates and upgrades its schema itself on first use (in one transaction, safe with several processes).").ConfigureAwait(false);
                return PoppyCli.UsageOrInputError;
            case "postgresql" or "postgres":
                break;
            default:
                return await UsageErrorAsync(stderr, $"unknown store '{line.Value("--store")}' (expected postgresql).").ConfigureAwait(false);
        }

        var from = 0;
        if (line.Value("--from-version") is { } fromText
            && (!int.TryParse(fromText, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from > PostgreSqlServiceCatalog.LatestSchemaVersion))
        {
            return await UsageErrorAsync(stderr, string.Create(CultureInfo.InvariantCulture, $"--from-version must be a whole number from 0 to {PostgreSqlServiceCatalog.LatestSchemaVersion} (got '{fromText}').")).ConfigureAwait(false);
        }

        var script = PostgreSqlServiceCatalog.GetMigrationScript(from);
        await stdout.WriteAsync(script.EndsWith('\n') ? script : script + Environment.NewLine).ConfigureAwait(false);
        return PoppyCli.Ok;
    }

    private static Task<int> UsageErrorAsync(TextWriter stderr, string message) => CommandLine.UsageErrorAsync(stderr, "poppy db", message, Usage);
}
