using System.Globalization;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Cli;

/// <summary><c>poppy validate [--json] FILE...</c>.</summary>
internal static class ValidateCommand
{
    private const string Usage = """
        Usage: poppy validate [--json] FILE...

        Validates OpenStack Poppy v1 service documents without any network call and prints, per file,
        OK or every problem with its path. '-' reads a document from standard input.

          --json      Print one JSON array: [{"file", "valid", "errors": [{"path", "message"}]}].

        Exit codes: 0 all valid, 1 some document invalid, 2 usage error or unreadable/unparsable file.
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var json = false;
        var files = new List<string>();
        var onlyFiles = false;
        foreach (var arg in args)
        {
            if (!onlyFiles && arg is "-h" or "--help")
            {
                await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                return PoppyCli.Ok;
            }

            if (!onlyFiles && arg == "--json")
            {
                json = true;
            }
            else if (!onlyFiles && arg == "--")
            {
                onlyFiles = true;
            }
            else if (!onlyFiles && arg.StartsWith('-') && arg != "-")
            {
                await stderr.WriteLineAsync($"poppy validate: unknown option '{arg}'.").ConfigureAwait(false);
                await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
                return PoppyCli.UsageOrInputError;
            }
            else
            {
                files.Add(arg);
            }
        }

        if (files.Count == 0)
        {
            await stderr.WriteLineAsync("poppy validate: no file given.").ConfigureAwait(false);
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return PoppyCli.UsageOrInputError;
        }

        var results = new List<FileResult>(files.Count);
        foreach (var file in files)
        {
            results.Add(await CheckAsync(file, stdin, cancellationToken).ConfigureAwait(false));
        }

        if (json)
        {
            await stdout.WriteAsync(ToJson(results)).ConfigureAwait(false);
            await stdout.WriteLineAsync().ConfigureAwait(false);
        }
        else
        {
            foreach (var r in results)
            {
                await WriteHumanAsync(r, stdout, stderr).ConfigureAwait(false);
            }
        }

        return results.Any(r => r.InputError is not null) ? PoppyCli.UsageOrInputError
            : results.Any(r => r.Problems.Count > 0) ? PoppyCli.Invalid
            : PoppyCli.Ok;
    }

    private static async Task<FileResult> CheckAsync(string file, TextReader stdin, CancellationToken cancellationToken)
    {
        var name = file == "-" ? "<stdin>" : file;
        string text;
        try
        {
            if (file == "-")
            {
                text = await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (Directory.Exists(file))
            {
                return FileResult.Error(name, "is a directory, not a file");
            }
            else if (!File.Exists(file))
            {
                return FileResult.Error(name, "file not found");
            }
            else
            {
                text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FileResult.Error(name, "cannot be read: " + ex.Message);
        }

        ServiceSpec spec;
        try
        {
            spec = PoppyJson.DeserializeService(text);
        }
        catch (JsonException ex)
        {
            return FileResult.Error(name, "is not a valid Poppy service document: " + Describe(ex));
        }

        var result = ServiceSpecValidator.Validate(spec, ValidationMode.Create);
        return new FileResult(name, result.Problems, null);
    }

    private static string Describe(JsonException ex)
    {
        var sb = new StringBuilder();
        var message = ex.Message;
        // System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …"; we print those ourselves.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        sb.Append(cut > 0 ? message[..cut] : message);
        if (ex.LineNumber is { } line)
        {
            sb.Append(CultureInfo.InvariantCulture, $" (line {line + 1}");
            if (ex.BytePositionInLine is { } pos)
            {
                sb.Append(CultureInfo.InvariantCulture, $", position {pos + 1}");
            }

            sb.Append(')');
        }

        if (!string.IsNullOrEmpty(ex.Path) && ex.Path != "$")
        {
            sb.Append(" at ").Append(ex.Path);
        }

        return sb.ToString();
    }

    private static async Task WriteHumanAsync(FileResult r, TextWriter stdout, TextWriter stderr)
    {
        if (r.InputError is not null)
        {
            await stderr.WriteLineAsync($"{r.File}: error: {r.InputError}").ConfigureAwait(false);
        }
        else if (r.Problems.Count == 0)
        {
            await stdout.WriteLineAsync($"{r.File}: OK").ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync($"{r.File}: {r.Problems.Count} problem{(r.Problems.Count == 1 ? "" : "s")}").ConfigureAwait(false);
            foreach (var p in r.Problems)
            {
                await stdout.WriteLineAsync($"  {(p.Path.Length == 0 ? "/" : p.Path)}: {p.Message}").ConfigureAwait(false);
            }
        }
    }

    private static string ToJson(List<FileResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("file", r.File);
                writer.WriteBoolean("valid", r.InputError is null && r.Problems.Count == 0);
                writer.WriteStartArray("errors");
                if (r.InputError is not null)
                {
                    writer.WriteStartObject();
                    writer.WriteString("path", "");
                    writer.WriteString("message", r.InputError);
                    writer.WriteEndObject();
                }

                foreach (var p in r.Problems)
                {
                    writer.WriteStartObject();
                    writer.WriteString("path", p.Path);
                    writer.WriteString("message", p.Message);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed record FileResult(string File, IReadOnlyList<ValidationProblem> Problems, string? InputError)
    {
        public static FileResult Error(string file, string message) => new(file, [], message);
    }
}
