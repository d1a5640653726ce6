using System.Globalization;

namespace Poppy.Sdk.Cli;

/// <summary>The arguments of one command: its options (<c>--name value</c>, <c>--name=value</c> or a flag) and the rest.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    /// <summary>The arguments that are not options, in order.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Whether <c>-h</c> or <c>--help</c> was given.</summary>
    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>: <paramref name="flags"/> take no value, <paramref name="valued"/> take one.</summary>
    /// <returns>The parsed line, or null with the problem in <paramref name="error"/>.</returns>
    public static CommandLine? Parse(string[] args, IReadOnlyCollection<string> flags, IReadOnlyCollection<string> valued, out string? error)
    {
        var line = new CommandLine();
        error = null;
        var onlyArguments = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (onlyArguments || arg == "-" || !arg.StartsWith('-'))
            {
                line.Arguments.Add(arg);
                continue;
            }

            if (arg is "-h" or "--help")
            {
                line.Help = true;
                continue;
            }

            if (arg == "--")
            {
                onlyArguments = true;
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            if (flags.Contains(name) && equals < 0)
            {
                line._flags.Add(name);
            }
            else if (valued.Contains(name))
            {
                string value;
                if (equals > 0)
                {
                    value = arg[(equals + 1)..];
                }
                else if (i + 1 < args.Length)
                {
                    value = args[++i];
                }
                else
                {
                    error = $"option '{name}' needs a value.";
                    return null;
                }

                if (!line._values.TryAdd(name, value))
                {
                    error = $"option '{name}' is given twice.";
                    return null;
                }
            }
            else
            {
                error = $"unknown option '{arg}'.";
                return null;
            }
        }

        return line;
    }

    /// <summary>Reports a usage error on standard error: <c>COMMAND: MESSAGE</c>, then the command's usage.</summary>
    /// <returns><see cref="PoppyCli.UsageOrInputError"/>.</returns>
    public static async Task<int> UsageErrorAsync(TextWriter stderr, string command, string message, string usage)
    {
        await stderr.WriteLineAsync(command + ": " + message).ConfigureAwait(false);
        await stderr.WriteLineAsync(usage).ConfigureAwait(false);
        return PoppyCli.UsageOrInputError;
    }

    /// <summary>Whether a flag was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>An option's value, or null when it was not given.</summary>
    public string? Value(string option) => _values.GetValueOrDefault(option);

    /// <summary>
    /// Reads a duration: a number with a unit (<c>500ms</c>, <c>2s</c>, <c>10m</c>, <c>1h</c>, <c>1.5h</c>) or a
    /// <see cref="TimeSpan"/> (<c>00:10:00</c>). Zero and negative durations are refused.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                && number * seconds is > 0 and <= 365 * 86400)
            {
                duration = TimeSpan.FromSeconds(number * seconds);
                return duration > TimeSpan.Zero;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }
}
