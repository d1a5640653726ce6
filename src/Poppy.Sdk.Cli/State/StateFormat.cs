using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Poppy.Sdk.Serialization;

namespace Poppy.Sdk.Cli.State;

/// <summary>How the state commands print times, statuses and JSON.</summary>
internal static class StateFormat
{
    /// <summary>A time for people: UTC, to the second.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time for programs: UTC, round-trip precision.</summary>
    public static string JsonTime(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A provider status as Poppy's JSON writes it (<c>deployed</c>, <c>create_in_progress</c>, …).</summary>
    public static string Status(ProviderStatus status) => JsonSerializer.Serialize(status, PoppyJsonContext.Default.ProviderStatus).Trim('"');

    /// <summary><c>running</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public static string State(OperationJournalState state) => state switch
    {
        OperationJournalState.Running => "running",
        OperationJournalState.Succeeded => "succeeded",
        OperationJournalState.Failed => "failed",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses <c>running</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public static OperationJournalState? ParseState(string text) => text.ToLowerInvariant() switch
    {
        "running" => OperationJournalState.Running,
        "succeeded" => OperationJournalState.Succeeded,
        "failed" => OperationJournalState.Failed,
        _ => null,
    };

    /// <summary>An error on one line: <c>code: message</c>.</summary>
    public static string Error(ProviderError error) => $"{error.Code}: {OneLine(error.Message)}";

    /// <summary>Writes a JSON document (indented, non-ASCII escaped so any console shows it) and returns it as text.</summary>
    public static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.Default }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes a provider error as an object.</summary>
    public static void WriteError(Utf8JsonWriter writer, string name, ProviderError? error)
    {
        if (error is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("code", error.Code);
        writer.WriteString("message", error.Message);
        writer.WriteString("vendor_code", error.VendorCode);
        NumberOrNull(writer, "http_status", error.HttpStatus);

        writer.WriteBoolean("transient", error.IsTransient);
        writer.WriteString("request_id", error.RequestId);
        writer.WriteEndObject();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>Writes <paramref name="value"/> as a number, or <c>null</c> when it has none.</summary>
    internal static void NumberOrNull(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
