using System.Reflection;

namespace Poppy.Sdk.Cli;

/// <summary>
/// The <c>poppy</c> command line: parses the arguments and dispatches to a command. All input and
/// output goes through the given readers and writers, so the whole tool runs in-process in tests.
/// </summary>
public static class PoppyCli
{
    /// <summary>Exit code: every document is valid (or help was shown).</summary>
    public const int Ok = 0;

    /// <summary>Exit code: at least one document is invalid.</summary>
    public const int Invalid = 1;

    /// <summary>Exit code: a usage error, or a file that could not be read or parsed.</summary>
    public const int UsageOrInputError = 2;

    internal const string Usage = """
        Usage: poppy <command> [options]

        Commands:
          validate [--json] FILE...   Validate OpenStack Poppy v1 service documents (JSON).
                                      Use '-' to read a document from standard input.

        Options:
          -h, --help                  Show this help.
          --version                   Show the tool's version.

        Run 'poppy validate --help' for the details of a command.
        Exit codes: 0 all valid, 1 some document invalid, 2 usage error or unreadable/unparsable file.
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
    /// <returns>The exit code: <see cref="Ok"/>, <see cref="Invalid"/> or <see cref="UsageOrInputError"/>.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, CancellationToken cancellationToken = default)
    {
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
            default:
                var what = args[0].StartsWith('-') ? "option" : "command";
                await stderr.WriteLineAsync($"poppy: unknown {what} '{args[0]}'.").ConfigureAwait(false);
                await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
                return UsageOrInputError;
        }
    }
}
