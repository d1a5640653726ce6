using System.Text.Json;
using System.Text.Json.Serialization;

namespace Poppy.Sdk.Cloudflare.Internal;

// The Cloudflare v4 API's JSON, with only the fields Poppy reads or writes. Names and types follow the official
// `cloudflare` TypeScript client's resource definitions (custom-hostnames.ts, rulesets/rules.ts, cache/cache.ts).

/// <summary>The v4 envelope: <c>{success, errors[{code, message}], messages, result, result_info}</c>.</summary>
internal sealed class CfEnvelope<T>
{
    [JsonPropertyName("success")] public bool Success { get; set; }

    [JsonPropertyName("errors")] public List<CfMessage>? Errors { get; set; }

    [JsonPropertyName("messages")] public List<CfMessage>? Messages { get; set; }

    [JsonPropertyName("result")] public T? Result { get; set; }

    [JsonPropertyName("result_info")] public CfResultInfo? ResultInfo { get; set; }
}

internal sealed class CfMessage
{
    [JsonPropertyName("code")] public int? Code { get; set; }

    [JsonPropertyName("message")] public string? Message { get; set; }
}

internal sealed class CfResultInfo
{
    [JsonPropertyName("page")] public int? Page { get; set; }

    [JsonPropertyName("per_page")] public int? PerPage { get; set; }

    [JsonPropertyName("count")] public int? Count { get; set; }

    [JsonPropertyName("total_count")] public int? TotalCount { get; set; }

    [JsonPropertyName("total_pages")] public int? TotalPages { get; set; }
}

internal sealed class CfZoneDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("status")] public string? Status { get; set; }
}

internal sealed class CfTokenDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("status")] public string? Status { get; set; }
}

internal sealed class CfIdDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }
}

internal sealed class CfFallbackOriginDto
{
    [JsonPropertyName("origin")] public string? Origin { get; set; }

    [JsonPropertyName("status")] public string? Status { get; set; }
}

internal sealed class CfSslDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("method")] public string? Method { get; set; }

    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("status")] public string? Status { get; set; }

    [JsonPropertyName("validation_records")] public List<CfValidationRecordDto>? ValidationRecords { get; set; }

    [JsonPropertyName("validation_errors")] public List<CfMessage>? ValidationErrors { get; set; }
}

internal sealed class CfValidationRecordDto
{
    [JsonPropertyName("txt_name")] public string? TxtName { get; set; }

    [JsonPropertyName("txt_value")] public string? TxtValue { get; set; }

    [JsonPropertyName("http_url")] public string? HttpUrl { get; set; }

    [JsonPropertyName("http_body")] public string? HttpBody { get; set; }
}

internal sealed class CfOwnershipDto
{
    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("value")] public string? Value { get; set; }
}

internal sealed class CfOwnershipHttpDto
{
    [JsonPropertyName("http_url")] public string? HttpUrl { get; set; }

    [JsonPropertyName("http_body")] public string? HttpBody { get; set; }
}

internal sealed class CfCustomHostnameDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("hostname")] public string? Hostname { get; set; }

    [JsonPropertyName("status")] public string? Status { get; set; }

    [JsonPropertyName("ssl")] public CfSslDto? Ssl { get; set; }

    [JsonPropertyName("custom_metadata")] public Dictionary<string, string>? CustomMetadata { get; set; }

    [JsonPropertyName("custom_origin_server")] public string? CustomOriginServer { get; set; }

    [JsonPropertyName("custom_origin_sni")] public string? CustomOriginSni { get; set; }

    [JsonPropertyName("ownership_verification")] public CfOwnershipDto? OwnershipVerification { get; set; }

    [JsonPropertyName("ownership_verification_http")] public CfOwnershipHttpDto? OwnershipVerificationHttp { get; set; }

    [JsonPropertyName("verification_errors")] public List<JsonElement>? VerificationErrors { get; set; }
}

/// <summary>The body of a custom hostname create or edit.</summary>
internal sealed class CfCustomHostnameWriteDto
{
    [JsonPropertyName("hostname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Hostname { get; set; }

    [JsonPropertyName("ssl")] public CfSslWriteDto? Ssl { get; set; }

    [JsonPropertyName("custom_metadata")] public Dictionary<string, string>? CustomMetadata { get; set; }

    [JsonPropertyName("custom_origin_server")] public string? CustomOriginServer { get; set; }

    [JsonPropertyName("custom_origin_sni")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CustomOriginSni { get; set; }
}

internal sealed class CfSslWriteDto
{
    [JsonPropertyName("method")] public string Method { get; set; } = "http";

    [JsonPropertyName("type")] public string Type { get; set; } = "dv";
}

internal sealed class CfRulesetDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("kind")] public string? Kind { get; set; }

    [JsonPropertyName("phase")] public string? Phase { get; set; }

    [JsonPropertyName("rules")] public List<CfRuleDto>? Rules { get; set; }
}

internal sealed class CfRuleDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("ref")] public string? Ref { get; set; }

    [JsonPropertyName("description")] public string? Description { get; set; }

    [JsonPropertyName("expression")] public string? Expression { get; set; }

    [JsonPropertyName("action")] public string? Action { get; set; }

    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }

    [JsonPropertyName("action_parameters")] public JsonElement? ActionParameters { get; set; }
}

internal sealed class CfPurgeResultDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CfEnvelope<JsonElement>))]
[JsonSerializable(typeof(CfEnvelope<CfZoneDto>))]
[JsonSerializable(typeof(CfEnvelope<CfTokenDto>))]
[JsonSerializable(typeof(CfEnvelope<CfFallbackOriginDto>))]
[JsonSerializable(typeof(CfEnvelope<CfCustomHostnameDto>))]
[JsonSerializable(typeof(CfEnvelope<List<CfCustomHostnameDto>>))]
[JsonSerializable(typeof(CfEnvelope<CfRulesetDto>))]
[JsonSerializable(typeof(CfEnvelope<CfPurgeResultDto>))]
[JsonSerializable(typeof(CfIdDto))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(CfCustomHostnameWriteDto))]
internal sealed partial class CloudflareJsonContext : JsonSerializerContext;
