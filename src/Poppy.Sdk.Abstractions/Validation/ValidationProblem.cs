using System.Text.Json.Serialization;

namespace Poppy.Sdk;

/// <summary>One problem with a spec: where it is and what is wrong.</summary>
/// <param name="Path">A JSON-pointer-like path into the Poppy document, for example <c>/origins/1/port</c>.</param>
/// <param name="Message">A message a person understands.</param>
public sealed record ValidationProblem(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("message")] string Message)
{
    /// <summary>The provider that cannot honour the field, for capability problems; null for plain validation.</summary>
    [JsonPropertyName("provider")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    /// <summary>What to change to fix it when that is not the spec itself: a provider option (for example <c>CloudFront:AcmCertificateArn</c>) or a capability; null otherwise.</summary>
    [JsonPropertyName("remedy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Remedy { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        (Provider is null ? $"{Path}: {Message}" : $"{Path}: {Message} (provider '{Provider}')")
        + (Remedy is null ? "" : $" [change: {Remedy}]");
}
