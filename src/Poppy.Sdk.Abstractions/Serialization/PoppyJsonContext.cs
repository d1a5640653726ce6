using System.Text.Json.Serialization;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Serialization;

/// <summary>Source-generated System.Text.Json metadata for the Poppy service document and SDK outputs.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ServiceSpec))]
[JsonSerializable(typeof(ProviderServiceDetails))]
[JsonSerializable(typeof(CdnService))]
[JsonSerializable(typeof(IReadOnlyList<ValidationProblem>))]
public sealed partial class PoppyJsonContext : JsonSerializerContext
{
}
