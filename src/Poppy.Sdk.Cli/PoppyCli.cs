namespace Poppy.Sdk.Cli;

/// <summary>The <c>poppy</c> command line: dispatches to commands; all I/O goes through the given writers.</summary>
public static class PoppyCli
{
    /// <summary>Exit code: everything valid / done.</summary>
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

        Exit codes: 0 all valid, 1 some document invalid, 2 usage error or unreadable/unparsable file.
        """;

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdin">Standard input (for the file '-').</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors and usage go.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
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
            case "validate":
                return await ValidateCommand.RunAsync(args[1..], stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
            default:
                await stderr.WriteLineAsync($"poppy: unknown command '{args[0]}'.").ConfigureAwait(false);
                await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
                return UsageOrInputError;
        }
    }
}
