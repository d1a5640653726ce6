using System.Reflection;
using Poppy.Sdk.Cli.State;

namespace Poppy.Sdk.Cli;

/// <summary>
/// The <c>poppy</c> command line: parses the arguments and dispatches to a command. All input and
/// output goes through the given readers and writers, so the whole tool runs in-process in tests.
/// </summary>
public static class PoppyCli
{
    /// <summary>Exit code: every document is valid, the listing was printed, the awaited operation succeeded (or help was shown).</summary>
    public const int Ok = 0;

    /// <summary>Exit code: at least one document is invalid, the awaited operation failed, or an import left entries out (invalid ones, or a conflict under <c>--on-conflict fail</c>).</summary>
    public const int Invalid = 1;

    /// <summary>Exit code: a usage error, a file that could not be read, written or parsed (a malformed or truncated catalog export), a catalog that could not be read or written, or an unknown operation id.</summary>
    public const int UsageOrInputError = 2;

    /// <summary>Exit code: <c>poppy operations wait</c> gave up before the operation completed.</summary>
    public const int TimedOut = 3;

    internal const string Usage = """
        Usage: poppy <command> [options]

        Commands:
          validate [--json] FILE...   Validate OpenStack Poppy v1 service documents (JSON).
                                      Use '-' to read a document from standard input.
          catalog list [--json]       List the services in the catalog.
          catalog export [FILE|-]     Write the catalog as one export document (JSON; '-' or no FILE:
                                      standard output). FILE is replaced only when the export succeeds.
          catalog import FILE|-       Read an export document into the catalog (--on-conflict
                                      skip|overwrite|fail, --migrate, --json).
          operations list [--json]    List journaled operations (--state, --service, --limit).
          operations wait ID          Wait until an operation completes (--timeout, --interval).
          db script --store postgresql
                                      Print the PostgreSQL schema SQL (--from-version N).

        Options:
          -h, --help                  Show this help.
          --version                   Show the tool's version.
          --catalog VALUE             (catalog, operations) A SQLite file or connection string, or a
                                      PostgreSQL connection string. Default: $POPPY_CATALOG, else
                                      poppy/poppy.db in the user's local application data folder.

        Run 'poppy <command> --help' for the details of a command.
        Exit codes: 0 success (all valid, listed, exported, imported, operation succeeded), 1 some
        document invalid, the awaited operation failed, or an import left entries out (invalid, or a
        conflict under --on-conflict fail), 2 usage error, unreadable or malformed input, unreadable
        catalog, unknown operation, 3 timed out waiting.
        """;

    /// <summary>The tool's version: the package version (and the commit, in a build from source control).</summary>
    internal static string Version { get; } =
        typeof(PoppyCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(PoppyCli).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Where results (and requested help) go.</param>
    /// <param name="stderr">Where errors and usage after a usage error go.</param>
    /// <param name="stdin">Standard input, read when a file is given as <c>-</c>.</param>
    /// <param name="cancellationToken">Cancels reading the documents.</param>
    /// <returns>The exit code: <see cref="Ok"/>, <see cref="Invalid"/>, <see cref="UsageOrInputError"/> or <see cref="TimedOut"/>.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, stdin, CliEnvironment.System, cancellationToken);

    /// <summary>Runs the command line with the given clock, environment variables and data folder.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(stdin);
        if (args.Length == 0)
        {
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return UsageOrInputError;
        }

        switch (args[0])
        {
            case "-h" or "--help" or "help":
                await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                return Ok;
            case "--version" when args.Length == 1:
                await stdout.WriteLineAsync("poppy " + Version).ConfigureAwait(false);
                return Ok;
            case "validate":
                return await ValidateCommand.RunAsync(args[1..], stdout, stderr, stdin, cancellationToken).ConfigureAwait(false);
            case "catalog":
                return await CatalogCommand.RunAsync(args[1..], stdout, stderr, stdin, environment, cancellationToken).ConfigureAwait(false);
            case "operations":
                return await OperationsCommand.RunAsync(args[1..], stdout, stderr, environment, cancellationToken).ConfigureAwait(false);
            case "db":
                return await DbCommand.RunAsync(args[1..], stdout, stderr).ConfigureAwait(false);
            default:
                var what = args[0].StartsWith('-') ? "option" : "command";
                await stderr.WriteLineAsync($"poppy: unknown {what} '{args[0]}'.").ConfigureAwait(false);
                await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
                return UsageOrInputError;
        }
    }
}
