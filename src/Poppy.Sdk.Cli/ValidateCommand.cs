using System.Globalization;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Cli;

/// <summary><c>poppy validate [--json] FILE...</c>: validates service documents without any network call.</summary>
internal static class ValidateCommand
{
    internal const string StdinName = "<stdin>";

    private const string Usage = """
        Usage: poppy validate [--json] [--] FILE...

        Validates OpenStack Poppy v1 service documents (JSON) with the SDK's rules, without any
        network call, and prints per file 'OK' or every problem with its path, then any warnings
        (things accepted as OpenStack Poppy accepted them, worth knowing; they never fail a file).
        '-' reads a document from standard input (once).

          --json      Print one JSON array: [{"file", "valid", "errors": [{"path", "message"}],
                      "warnings": [{"path", "message"}]}].
                      A file that cannot be read or parsed has one error whose path is "".
          --          Treat every following argument as a file name.
          -h, --help  Show this help.

        Exit codes: 0 all valid, 1 some document invalid, 2 usage error or unreadable/unparsable file.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, CancellationToken cancellationToken)
    {
        var json = false;
        var files = new List<string>();
        var onlyFiles = false;
        foreach (var arg in args)
        {
            if (onlyFiles || arg == "-" || !arg.StartsWith('-'))
            {
                files.Add(arg);
            }
            else if (arg is "-h" or "--help")
            {
                await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                return PoppyCli.Ok;
            }
            else if (arg == "--json")
            {
                json = true;
            }
            else if (arg == "--")
            {
                onlyFiles = true;
            }
            else
            {
                return await UsageErrorAsync(stderr, $"unknown option '{arg}'.").ConfigureAwait(false);
            }
        }

        if (files.Count == 0)
        {
            return await UsageErrorAsync(stderr, "no file given.").ConfigureAwait(false);
        }

        if (files.Count(f => f == "-") > 1)
        {
            return await UsageErrorAsync(stderr, "'-' (standard input) may be given only once.").ConfigureAwait(false);
        }

        var reports = new List<FileReport>(files.Count);
        foreach (var file in files)
        {
            reports.Add(await CheckAsync(file, stdin, cancellationToken).ConfigureAwait(false));
        }

        if (json)
        {
            await stdout.WriteLineAsync(ToJson(reports)).ConfigureAwait(false);
        }
        else
        {
            foreach (var report in reports)
            {
                await WriteHumanAsync(report, stdout, stderr).ConfigureAwait(false);
            }
        }

        return reports.Any(r => r.Failure is not null) ? PoppyCli.UsageOrInputError
            : reports.Any(r => r.Problems.Count > 0) ? PoppyCli.Invalid
            : PoppyCli.Ok;
    }

    private static async Task<int> UsageErrorAsync(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync("poppy validate: " + message).ConfigureAwait(false);
        await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
        return PoppyCli.UsageOrInputError;
    }

    private static async Task<FileReport> CheckAsync(string file, TextReader stdin, CancellationToken cancellationToken)
    {
        var name = file == "-" ? StdinName : file;
        string text;
        try
        {
            if (file == "-")
            {
                text = await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (file.Length == 0)
            {
                return FileReport.ReadFailure(name, "the file name is empty");
            }
            else if (Directory.Exists(file))
            {
                return FileReport.ReadFailure(name, "it is a directory, not a file");
            }
            else
            {
                text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileReport.ReadFailure(name, "file not found");
        }
        catch (UnauthorizedAccessException)
        {
            return FileReport.ReadFailure(name, "permission denied");
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or NotSupportedException)
        {
            // ArgumentException / NotSupportedException: a file name the OS cannot accept (e.g. with a NUL).
            return FileReport.ReadFailure(name, ex.Message);
        }

        ServiceSpec spec;
        try
        {
            spec = PoppyJson.DeserializeService(text);
        }
        catch (JsonException ex)
        {
            return FileReport.ParseFailure(name, Describe(ex, text));
        }

        try
        {
            var result = ServiceSpecValidator.Validate(spec, ValidationMode.Create);
            return new FileReport(name, result.Problems, null) { Warnings = result.Warnings };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The validator reports bad input as problems and never throws for it; should a bug make it
            // throw anyway, the user gets one line naming the file instead of a stack trace.
            return new FileReport(name, [], new InputFailure("could not be validated", $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    /// <summary>A short sentence from a System.Text.Json error, with its line, position and path.</summary>
    internal static string Describe(JsonException ex, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "the document is empty";
        }

        var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path;
        string message;
        if (ex.Message.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal))
        {
            // The framework names the containing .NET type, which says nothing to someone editing JSON.
            message = path is null
                ? "the document is not a JSON object"
                : $"the value at {path} has the wrong type or is not one of the allowed values";
            path = null;
        }
        else
        {
            message = ex.Message;
            // System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …"; we print those
            // ourselves. Last, because a quoted piece of the document earlier in the message may contain it.
            var cut = message.LastIndexOf(" Path: ", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }

            message = OneLine(message).TrimEnd('.');
        }

        var location = new List<string>(3);
        if (ex.LineNumber is { } line)
        {
            location.Add(string.Create(CultureInfo.InvariantCulture, $"line {line + 1}"));
            if (ex.BytePositionInLine is { } position)
            {
                location.Add(string.Create(CultureInfo.InvariantCulture, $"position {position + 1}"));
            }
        }

        if (path is not null)
        {
            location.Add("path " + path);
        }

        return location.Count == 0 ? message : $"{message} ({string.Join(", ", location)})";
    }

    /// <summary>
    /// Keeps a framework message on one short line: an invalid literal is quoted together with the rest
    /// of the input (possibly the whole file, newlines included), so the quote is cut and whitespace collapsed.
    /// </summary>
    private static string OneLine(string message)
    {
        const string InvalidLiteral = "' is an invalid JSON literal";
        const int MaxQuote = 40;
        const int MaxMessage = 300;
        var end = message.LastIndexOf(InvalidLiteral, StringComparison.Ordinal);
        if (message.StartsWith('\'') && end > 0)
        {
            var quote = CollapseWhitespace(message[1..end]);
            quote = quote.Length <= MaxQuote ? quote : quote[..MaxQuote].TrimEnd() + "...";
            message = string.Concat("'", quote, message.AsSpan(end));
        }

        message = CollapseWhitespace(message);
        return message.Length <= MaxMessage ? message : message[..MaxMessage] + "...";
    }

    private static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && !char.IsControl(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != ' ')
            {
                sb.Append(' ');
            }
        }

        return sb.ToString().TrimEnd();
    }

    private static async Task WriteHumanAsync(FileReport report, TextWriter stdout, TextWriter stderr)
    {
        if (report.Failure is { } failure)
        {
            // "missing.json: error: file not found"; parse errors say what failed first.
            var text = failure.Stage == InputFailure.ReadStage ? failure.Detail : failure.ToString();
            await stderr.WriteLineAsync($"{report.File}: error: {text}").ConfigureAwait(false);
        }
        else
        {
            var count = report.Problems.Count;
            var warnings = report.Warnings.Count;
            var headline = count == 0 ? "OK" : string.Create(CultureInfo.InvariantCulture, $"{count} problem{(count == 1 ? "" : "s")}");
            var tail = warnings == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({warnings} warning{(warnings == 1 ? "" : "s")})");
            await stdout.WriteLineAsync($"{report.File}: {headline}{tail}").ConfigureAwait(false);
            foreach (var problem in report.Problems)
            {
                await stdout.WriteLineAsync($"  {(problem.Path.Length == 0 ? "/" : problem.Path)}: {problem.Message}").ConfigureAwait(false);
            }

            foreach (var warning in report.Warnings)
            {
                await stdout.WriteLineAsync($"  warning: {(warning.Path.Length == 0 ? "/" : warning.Path)}: {warning.Message}").ConfigureAwait(false);
            }
        }
    }

    private static string ToJson(List<FileReport> reports)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var report in reports)
            {
                writer.WriteStartObject();
                writer.WriteString("file", report.File);
                writer.WriteBoolean("valid", report.Failure is null && report.Problems.Count == 0);
                writer.WriteStartArray("errors");
                if (report.Failure is { } failure)
                {
                    WriteError(writer, "", failure.ToString());
                }

                foreach (var problem in report.Problems)
                {
                    WriteError(writer, problem.Path, problem.Message);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("warnings");
                foreach (var warning in report.Warnings)
                {
                    WriteError(writer, warning.Path, warning.Message);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteError(Utf8JsonWriter writer, string path, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("path", path);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    }

    /// <summary>Why a file has no validation result: it could not be read, parsed or validated.</summary>
    private sealed record InputFailure(string Stage, string Detail)
    {
        public const string ReadStage = "could not be read";
        public const string ParseStage = "could not be parsed as a Poppy service document";

        public override string ToString() => $"{Stage}: {Detail}";
    }

    private sealed record FileReport(string File, IReadOnlyList<ValidationProblem> Problems, InputFailure? Failure)
    {
        public IReadOnlyList<ValidationProblem> Warnings { get; init; } = [];

        public static FileReport ReadFailure(string file, string detail) => new(file, [], new InputFailure(InputFailure.ReadStage, detail));

        public static FileReport ParseFailure(string file, string detail) => new(file, [], new InputFailure(InputFailure.ParseStage, detail));
    }
}
